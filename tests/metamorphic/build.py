"""Write every base return x applicable re-laying as an acceptance case (notes: case_format.md).

    python -m tests.metamorphic.build <out_dir> [--base A C] [--transform long_aggregate ...]

Each case is `<out_dir>/<base key>_<base name>__<transform>/` with `files/` as a force
would send them and `expected.yaml` holding the base truth's figures for that layout
(outcome `exact`: a reader must give exactly these figures or quarantine the return) and,
as `truth`, the true count behind each (the sums of the cells' `actual`): a reader that
narrows a withheld cell from the return's own totals must still hold it.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

from tests.metamorphic.relay import TRANSFORMS, Relaid, write_return
from tests.metamorphic.truth import Base, bases as all_bases


def case_name(base: Base, transform) -> str:
    return f"{base.key}_{base.name}__{transform.__name__}"


def describe(base: Base, transform, relaid: Relaid) -> str:
    return (f"{base.key} ({base.name}) re-laid by {transform.__name__} as {relaid.fmt.label}: "
            f"{relaid.wrong_reading}")


def build_cases(out_dir: Path, bases: list[Base] | None = None, transforms=None) -> list[Path]:
    """Write every base x applicable transform as a case under `out_dir`; returns the case
    folders in order. An existing case folder of the same name is replaced."""
    out_dir = Path(out_dir)
    cases = []
    for base in bases if bases is not None else all_bases():
        for transform in transforms if transforms is not None else TRANSFORMS:
            relaid = transform(base)
            if relaid is None:  # the layout cannot carry this base truthfully
                continue
            case = out_dir / case_name(base, transform)
            if case.exists():
                shutil.rmtree(case)
            write_return(relaid, case / "files")
            expected = {"description": describe(base, transform, relaid), "outcome": "exact",
                        "figures": relaid.figures, "truth": relaid.truth}
            (case / "expected.yaml").write_text(yaml.safe_dump(expected, sort_keys=False, allow_unicode=True,
                                                               width=120))
            cases.append(case)
    return cases


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--base", nargs="*", help="base keys (A B C D); default all")
    parser.add_argument("--transform", nargs="*", help="transform names; default all")
    args = parser.parse_args(argv)
    bases = [b for b in all_bases() if not args.base or b.key in args.base]
    by_name = {t.__name__: t for t in TRANSFORMS}
    unknown = set(args.transform or ()) - by_name.keys()
    if unknown:
        parser.error(f"unknown transform(s) {sorted(unknown)}; known: {', '.join(by_name)}")
    transforms = [by_name[n] for n in args.transform] if args.transform else None
    cases = build_cases(args.out_dir, bases, transforms)
    print(f"{len(cases)} cases in {args.out_dir}")


if __name__ == "__main__":
    main()
