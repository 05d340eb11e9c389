"""What a person reads for DOMAIN.md's coded values, in their language."""

from flask_babel import lazy_gettext as _l

ROLES = {
    "admin": _l("admin"),
    "president": _l("president"),
    "operator": _l("operator"),
    "bureau": _l("bureau"),
}
MINING_METHODS = {"underground": _l("underground"), "open_pit": _l("open pit")}
MINE_STATUSES = {"active": _l("active"), "suspended": _l("suspended"), "closed": _l("closed")}
DISPUTE_STATUSES = {
    "open": _l("open"),
    "mediating": _l("mediating"),
    "resolved": _l("resolved"),
}
SAMPLE_TYPES = {
    "feed": _l("feed"),
    "concentrate": _l("concentrate"),
    "tailings": _l("tailings"),
    "waste": _l("waste"),
}
MEETING_KINDS = {
    "monthly": _l("monthly"),
    "extraordinary": _l("extraordinary"),
    "general_assembly": _l("general assembly"),
}
ATTENDANCE_STATUSES = {
    "present": _l("present"),
    "absent": _l("absent"),
    "excused": _l("excused"),
}
AUDIT_ACTIONS = {"create": _l("created"), "update": _l("changed"), "delete": _l("deleted")}
RECORD_TYPES = {
    "enterprises": _l("Enterprises"),
    "mines": _l("Mines"),
    "users": _l("Accounts"),
    "api_tokens": _l("API tokens"),
    "leases": _l("Leases"),
    "disputes": _l("Disputes"),
    "samples": _l("Samples"),
    "production": _l("Production"),
    "meetings": _l("Meetings"),
    "attendance": _l("Attendance"),
    "actions": _l("Actions"),
    "amendments": _l("Amendments"),
    "notices": _l("Notices"),
}


def choices(labels):
    """Select options for a field of coded values."""
    from coop.forms.base import select_choices

    return select_choices(labels.items())


def label(labels, value):
    return labels.get(value, value) if value is not None else ""


def init_app(app):
    app.jinja_env.globals.update(
        role_label=lambda v: label(ROLES, v),
        status_label=lambda v: label(MINE_STATUSES, v),
        method_label=lambda v: label(MINING_METHODS, v),
        action_label=lambda v: label(AUDIT_ACTIONS, v),
        record_type_label=lambda v: label(RECORD_TYPES, v),
        dispute_status_label=lambda v: label(DISPUTE_STATUSES, v),
        sample_type_label=lambda v: label(SAMPLE_TYPES, v),
        meeting_kind_label=lambda v: label(MEETING_KINDS, v),
        attendance_label=lambda v: label(ATTENDANCE_STATUSES, v),
    )
