"""Small file-system steps that make the archive and the index crash-safe."""

import os
import secrets
import shutil
import time

#: What file-system helpers accept for a path.
PathLike = str | os.PathLike[str]


def replace_symlink(link: PathLike, target: PathLike) -> None:
    """Point ``link`` at ``target`` in one atomic step (a reader sees the old target or the new, never neither)."""
    tmp = f"{link}.tmp-{secrets.token_hex(4)}"
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        os.unlink(tmp)
        raise
    fsync_dir(os.path.dirname(os.path.abspath(link)))


def write_file(path: PathLike, data: bytes) -> None:
    """Write ``data`` (bytes) and flush it to disk, so a completed step survives a crash."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def replace_file(path: PathLike, data: bytes) -> None:
    """Make ``data`` the content of ``path`` in one step: written beside it, flushed, renamed over it. A reader sees
    the old content or the new, never half of it; a failure leaves the old file as it was."""
    directory, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(directory, f".{unique_name(name)}")
    try:
        write_file(temporary, data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    fsync_dir(directory)


def file_stamp(path: PathLike) -> tuple[int, int] | None:
    """What tells a file read before from a changed one (modification time in ns, size); ``None`` when missing."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def fsync_dir(path: PathLike) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_tree(path: PathLike) -> None:
    shutil.rmtree(path, ignore_errors=True)


def unique_name(prefix: str) -> str:
    """A fresh directory name that sorts by creation time (``prefix-<ns time>-<random>``)."""
    return f"{prefix}-{time.time_ns():020d}-{secrets.token_hex(3)}"
