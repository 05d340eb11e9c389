"""Run every benchmark in this package (each module with a `main()`) and print its results."""

import importlib
import pkgutil

import benchmarks


def main():
    for module in pkgutil.iter_modules(benchmarks.__path__):
        if module.name.startswith("_"):
            continue
        benchmark = importlib.import_module(f"benchmarks.{module.name}")
        if hasattr(benchmark, "main"):
            print(f"== {module.name}")
            benchmark.main()


if __name__ == "__main__":
    main()
