from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def config():
    from framing.config import load_config
    return load_config()


@pytest.fixture(scope="session")
def seeds(config):
    import framing
    return framing.read_corpus(SEEDS, config=config)


@pytest.fixture(scope="session")
def analysis(seeds, config):
    from framing.analyze import analyze
    return analyze(seeds, config)


def write_corpus(folder: Path, files: dict, manifest: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    return folder
