"""Where the platform keeps its data, and the secrets it generates there on first use."""
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    path = Path(os.environ.get("DANGJIAN_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_file(name: str, make) -> str:
    """Read a secret from DATA_DIR, creating it with mode 0600 the first time."""
    path = data_dir() / name
    if not path.exists():
        # Write a private temp file, then link it into place: atomic, so processes
        # starting together (test workers, web + task worker) all read the same full key.
        tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process won the race; use its key
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def secret_key() -> str:
    return os.environ.get("DANGJIAN_SECRET_KEY") or _secret_file(
        "secret_key", lambda: secrets.token_urlsafe(50)
    )


def pii_key() -> str:
    return os.environ.get("DANGJIAN_PII_KEY") or _secret_file(
        "pii_key", lambda: Fernet.generate_key().decode()
    )
