/* Lease maps. Every .lease-map element (templates/_macros/map.html) fetches the GeoJSON at its
   data-url (coop.views.maps) and draws it with Leaflet, with no base layer: nothing is asked of a
   tile server, so the map works offline. Words come translated in data-labels; data from the
   server goes into the page only as text (textContent), never as HTML. */
(function () {
  "use strict";

  var CONFLICT = "#c1121f";
  var HATCH_ID = "lease-map-hatch";
  var SVG_NS = "http://www.w3.org/2000/svg";
  // Each lease is labelled with its permit number, or with its mine's (shorter) code when there
  // are more leases than this; a label shows only while its lease is drawn large enough for it.
  var MAX_PERMIT_LABELS = 15;
  var POPUP = { minWidth: 240, maxWidth: 380 };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function sameSite(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  function message(container, text) {
    var old = container.querySelector(".lease-map-message");
    if (old) old.remove();
    container.appendChild(el("p", "lease-map-message", text));
  }

  /* The red hatching of overlaps: an SVG pattern that the conflict paths use as their fill. */
  function ensureHatch() {
    if (document.getElementById(HATCH_ID)) return;
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "lease-map-defs");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    var defs = document.createElementNS(SVG_NS, "defs");
    var pattern = document.createElementNS(SVG_NS, "pattern");
    pattern.setAttribute("id", HATCH_ID);
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "7");
    pattern.setAttribute("height", "7");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var ground = document.createElementNS(SVG_NS, "rect");
    ground.setAttribute("width", "7");
    ground.setAttribute("height", "7");
    ground.setAttribute("fill", CONFLICT);
    ground.setAttribute("fill-opacity", "0.25");
    var line = document.createElementNS(SVG_NS, "rect");
    line.setAttribute("width", "2.5");
    line.setAttribute("height", "7");
    line.setAttribute("fill", CONFLICT);
    pattern.appendChild(ground);
    pattern.appendChild(line);
    defs.appendChild(pattern);
    svg.appendChild(defs);
    document.body.appendChild(svg);
  }

  function style(feature) {
    var p = feature.properties;
    if (p.kind === "conflict") {
      return {
        color: CONFLICT,
        weight: 2.5,
        opacity: 1,
        fillColor: "url(#" + HATCH_ID + ")",
        fillOpacity: 1,
      };
    }
    var s = { color: p.colour, weight: 2, opacity: 0.95, fillColor: p.colour, fillOpacity: 0.45 };
    if (!p.focus) {
      s.weight = 1;
      s.opacity = 0.6;
      s.fillOpacity = 0.12;
    }
    if (p.expired) {
      s.dashArray = "6 4";
      s.fillOpacity = s.fillOpacity / 2;
    }
    return s;
  }

  function row(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    var dd = el("dd");
    if (typeof value === "string") dd.textContent = value;
    else dd.appendChild(value);
    dl.appendChild(dd);
    return dd;
  }

  function link(url, text) {
    if (!sameSite(url)) return el("span", null, text);
    var a = el("a", null, text);
    a.href = url;
    return a;
  }

  function leasePopup(p, labels) {
    var box = el("div", "lease-popup");
    var title = el("div", "lease-popup-title", fill(labels.lease, { permit: p.permit_no }));
    if (p.conflicting) {
      title.appendChild(document.createTextNode(" "));
      title.appendChild(el("span", "badge text-bg-danger", labels.overlaps));
    }
    box.appendChild(title);
    var dl = el("dl");
    row(dl, labels.mine, p.mine_code + " " + p.mine_name);
    row(dl, labels.enterprise, p.enterprise_code + " " + p.enterprise_name);
    // Numbers and dates come formatted by the server, as the lease's page shows them.
    var validity = row(dl, labels.validity, p.text.validity);
    if (p.expired) {
      validity.appendChild(document.createTextNode(" "));
      validity.appendChild(el("span", "badge text-bg-secondary", p.text.expired));
    } else {
      row(dl, labels.days_to_expiry, p.text.days_to_expiry);
    }
    row(dl, labels.area, p.text.area);
    box.appendChild(dl);
    box.appendChild(link(p.url, labels.open_lease));
    return box;
  }

  function conflictPopup(p, labels, urls) {
    var box = el("div", "lease-popup");
    var title = el("div", "lease-popup-title");
    // "Overlap of {a} and {b}", with each permit number a link to its lease.
    String(labels.conflict)
      .split(/(\{a\}|\{b\})/)
      .forEach(function (part) {
        if (part === "{a}") title.appendChild(link(urls[p.lease_a], p.lease_a));
        else if (part === "{b}") title.appendChild(link(urls[p.lease_b], p.lease_b));
        else if (part) title.appendChild(document.createTextNode(part));
      });
    box.appendChild(title);
    var dl = el("dl");
    row(dl, labels.area_in_common, p.text.area);
    box.appendChild(dl);
    return box;
  }

  function legend(container, features, labels) {
    var enterprises = {};
    var hasConflict = false;
    var hasNeighbour = false;
    var hasExpired = false;
    features.forEach(function (f) {
      var p = f.properties;
      if (p.kind === "conflict") {
        hasConflict = true;
        return;
      }
      enterprises[p.enterprise_code] = p;
      if (!p.focus) hasNeighbour = true;
      if (p.expired) hasExpired = true;
    });
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = el("div", "lease-map-legend leaflet-control");
      // Folded on a narrow map, where it would hide the leases; a tap on its title opens it.
      var details = el("details");
      details.open = container.clientWidth >= 576;
      details.appendChild(el("summary", "lease-map-legend-title", labels.legend));
      box.appendChild(details);
      var list = el("ul");
      function entry(swatchClass, text, colour) {
        var item = el("li");
        var swatch = el("span", "lease-map-swatch " + (swatchClass || ""));
        swatch.setAttribute("aria-hidden", "true");
        if (colour) swatch.style.backgroundColor = colour; // CSSOM, which the CSP allows
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(text));
        item.title = text;
        list.appendChild(item);
      }
      Object.keys(enterprises)
        .sort()
        .forEach(function (code) {
          var p = enterprises[code];
          entry("", p.enterprise_code + " " + p.enterprise_name, p.colour);
        });
      if (hasConflict) entry("lease-map-swatch-conflict", labels.legend_conflict);
      if (hasNeighbour) entry("lease-map-swatch-neighbour", labels.legend_neighbour);
      if (hasExpired) entry("lease-map-swatch-expired", labels.legend_expired);
      details.appendChild(list);
      // A long legend scrolls within the map rather than running off its edge.
      box.style.maxHeight = Math.max(80, container.clientHeight - 64) + "px";
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control;
  }

  function draw(container, collection, labels) {
    var features = (collection && collection.features) || [];
    var leases = features.filter(function (f) {
      return f.properties && f.properties.kind === "lease";
    });
    if (!leases.length) {
      message(container, labels.empty);
      return;
    }
    ensureHatch();
    var urls = {};
    leases.forEach(function (f) {
      urls[f.properties.permit_no] = f.properties.url;
    });
    var byPermit = leases.length <= MAX_PERMIT_LABELS;
    var map = L.map(container, {
      attributionControl: false, // no tiles, nobody to credit
      zoomControl: false, // added below, with its titles in the reader's language
      zoomSnap: 0.25,
      maxZoom: 19,
    });
    L.control.zoom({ zoomInTitle: labels.zoom_in, zoomOutTitle: labels.zoom_out }).addTo(map);
    var labelled = [];
    // Faint neighbours first, then focused leases, then overlaps on top, so that each is clickable.
    function rank(f) {
      var p = f.properties;
      return p.kind === "conflict" ? 2 : p.focus ? 1 : 0;
    }
    var ordered = features.slice().sort(function (a, b) {
      return rank(a) - rank(b);
    });
    var focused = L.latLngBounds([]);
    var layer = L.geoJSON(ordered, {
      style: style,
      onEachFeature: function (feature, item) {
        var p = feature.properties;
        if (p.kind === "conflict") {
          item.bindPopup(conflictPopup(p, labels, urls), POPUP);
          return;
        }
        item.bindPopup(leasePopup(p, labels), POPUP);
        if (p.focus) {
          item.bindTooltip(byPermit ? p.permit_no : p.mine_code, {
            permanent: true,
            direction: "center",
            className: "lease-label",
          });
          labelled.push(item);
          focused.extend(item.getBounds());
        } else {
          item.bindTooltip(p.permit_no, { direction: "center", className: "lease-label" });
        }
      },
    }).addTo(map);
    L.control.scale({ metric: true, imperial: false }).addTo(map);
    var key = legend(container, features, labels).addTo(map);
    // Keep the leases clear of the legend when the map is wide enough to spare it the room.
    var aside = key.getContainer().offsetWidth;
    var room = aside && aside < container.clientWidth * 0.35 ? aside + 16 : 24;
    map.on("zoomend", function () {
      fitLabels(map, labelled);
    });
    map.fitBounds(focused.isValid() ? focused : layer.getBounds(), {
      paddingTopLeft: [24, 24],
      paddingBottomRight: [room, 24],
      maxZoom: 17,
    });
    fitLabels(map, labelled);
  }

  /* A lease's label shows while the lease is drawn wide and tall enough to hold it, so that
     small leases side by side do not write over each other; zooming in brings theirs back. */
  function fitLabels(map, items) {
    items.forEach(function (item) {
      var tooltip = item.getTooltip();
      var node = tooltip && tooltip.getElement();
      if (!node) return;
      var bounds = item.getBounds();
      var corner = map.latLngToLayerPoint(bounds.getNorthWest());
      var opposite = map.latLngToLayerPoint(bounds.getSouthEast());
      var fits =
        Math.abs(opposite.x - corner.x) >= node.offsetWidth * 0.8 &&
        Math.abs(opposite.y - corner.y) >= node.offsetHeight;
      node.classList.toggle("lease-label-hidden", !fits);
    });
  }

  function load(container) {
    var labels = {};
    try {
      labels = JSON.parse(container.getAttribute("data-labels") || "{}");
    } catch (error) {
      labels = {};
    }
    var url = container.getAttribute("data-url");
    if (!sameSite(url) || typeof L === "undefined") {
      message(container, labels.failed || "");
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      })
      .then(function (collection) {
        draw(container, collection, labels);
      })
      .catch(function (error) {
        message(container, labels.failed || "");
        if (window.console) window.console.error(error);
      });
  }

  /* A filter select (data-submit-on-change) reloads the page with its choice. */
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });

  document.querySelectorAll(".lease-map").forEach(load);
})();
