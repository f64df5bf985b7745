"""`python -m thermal.report RESULTS_DIR`: write a results directory's one-page HTML report again.

    python -m thermal.report results/h100_bus          # writes results/h100_bus/report.html

Every solve writes the report itself (:mod:`thermal.outputs.report` says what it holds).
"""

import argparse
import sys

from thermal.outputs.report import write_report
from thermal.outputs.viewer import ViewError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m thermal.report", description=__doc__.splitlines()[0])
    parser.add_argument("results", help="results directory (from python -m thermal.solve)")
    parser.add_argument("--no-snapshot", action="store_true", help="skip the 3D snapshot (no OpenGL needed)")
    parser.add_argument("--units", choices=("K", "degC"), default=None,
                        help="temperature unit of the page, its plots and its 3D snapshot (default: the case's "
                             "output.temperature_unit, K without the case file)")
    args = parser.parse_args(argv)
    try:
        path = write_report(args.results, snapshot=not args.no_snapshot, units=args.units)
    except ViewError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
