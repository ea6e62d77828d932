"""A saved model's files: written whole or not at all, read back with checks.

A model is a set of named files (bytes), stored as a directory or as one
``.zip`` file. Nothing here knows what the files mean.
"""

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

__all__ = ["ModelFileError", "BundleReader", "check_archive_bytes", "write_bundle"]

#: Largest compression ratio accepted for a zip member of more than
#: :data:`_RATIO_FLOOR` bytes: weights and histories compress by 1-20 times,
#: a "zip bomb" by thousands.
MAX_COMPRESSION_RATIO = 200
_RATIO_FLOOR = 1 << 20
#: Most members a saved model may hold.
MAX_MEMBERS = 4096


class ModelFileError(ValueError):
    """A saved model cannot be read: missing, truncated, corrupt or inconsistent."""


def _fsync_directory(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # some platforms cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_zip(path, files):
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in files.items():
                    archive.writestr(name, data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _write_directory(path, files):
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    old = None
    try:
        for name, data in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            with open(tmp / name, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        _fsync_directory(tmp)
        if path.exists():
            # A directory cannot be replaced in one step: move the old one
            # aside, move the new one in, then delete the old one.
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
            old.rmdir()
            os.replace(path, old)
        os.replace(tmp, path)
    except BaseException:
        if old is not None and not path.exists():
            os.replace(old, path)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    _fsync_directory(path.parent)


def write_bundle(path, files):
    """Write ``files`` to a directory, or to a zip file for a ``.zip`` path.

    Everything is written under a temporary name in the same folder and then
    renamed into place, so an interruption leaves either the previous
    content or the new one, never a mix or a half-written file.

    Parameters
    ----------
    path : str or path-like
        Destination: a directory, or a file name ending in ``.zip``.
    files : dict of str to bytes
        File names and contents.

    Returns
    -------
    path : pathlib.Path

    Raises
    ------
    ValueError
        If ``path`` is empty, or an existing file where a directory is asked
        for (or the reverse).
    """
    if os.fspath(path) == "":
        raise ValueError(
            "path is empty; give a directory or a file name ending in .zip."
        )
    path = Path(path)
    is_zip = path.suffix == ".zip"
    if path.exists() and path.is_dir() == is_zip:
        kind = "directory" if path.is_dir() else "file"
        raise ValueError(
            f"{path} exists and is a {kind}; save to a new path, or remove it first."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    (_write_zip if is_zip else _write_directory)(path, files)
    return path


def _check_members(archive, where):
    total = 0
    for info in archive.infolist():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(
                f"{info.filename} in {where} uses a compression method sklstm "
                "never writes; the file is not an sklstm model."
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > MAX_COMPRESSION_RATIO:
            raise ModelFileError(
                f"{info.filename} in {where} declares {info.file_size} bytes "
                f"compressed into {info.compress_size} (ratio {ratio:.0f}, more "
                f"than {MAX_COMPRESSION_RATIO}); refused unread, as a zip bomb."
            )
        total += info.file_size
    return total


def check_archive_bytes(data, where, max_bytes):
    """Refuse a zip archive held in ``data`` that would inflate past ``max_bytes``.

    For archives inside a saved model (scikit-learn steps stored with
    skops), checked before anything reads their members.

    Raises
    ------
    ModelFileError
    """
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if len(archive.infolist()) > MAX_MEMBERS:
                raise ModelFileError(f"{where} holds too many files.")
            total = _check_members(archive, where)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ModelFileError(f"{where} is not a valid archive ({error}).") from None
    if total > max_bytes:
        raise ModelFileError(
            f"{where} declares {total} bytes once inflated, more than the "
            f"{max_bytes} allowed."
        )


class BundleReader:
    """Read the files of a saved model from a directory or a zip file.

    Parameters
    ----------
    path : str or path-like
        The directory or ``.zip`` file.
    required : sequence of str
        Names that must be present.
    """

    def __init__(self, path, required=()):
        self.path = Path(path)
        if self.path.is_dir():
            self.names = self._directory_names()
            self.archive = None
        elif self.path.is_file():
            try:
                self.archive = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as error:
                raise ModelFileError(
                    f"{self.path} is not a readable sklstm model ({error}): expected "
                    "a directory or a .zip file written by sklstm.save; the file "
                    "may be truncated or corrupt."
                ) from None
            self._check_archive()
            self.names = set(self.archive.namelist())
        else:
            raise FileNotFoundError(f"No saved model at {self.path}.")
        if len(self.names) > MAX_MEMBERS:
            raise ModelFileError(
                f"{self.path} holds {len(self.names)} files, more than the "
                f"{MAX_MEMBERS} a saved model has; it is not an sklstm model."
            )
        missing = [name for name in required if name not in self.names]
        if missing:
            raise ModelFileError(
                f"{self.path} is not a complete sklstm model: {missing} missing. "
                "Save models with sklstm.save (or estimator.save)."
            )

    def _directory_names(self):
        """Files below the directory (no symbolic links); refuses a large tree."""
        names = set()
        for count, entry in enumerate(self.path.rglob("*")):
            if count > 2 * MAX_MEMBERS:
                raise ModelFileError(
                    f"{self.path} holds more than {MAX_MEMBERS} files and folders; "
                    "it is not an sklstm model."
                )
            if entry.is_file() and not entry.is_symlink():
                names.add(entry.relative_to(self.path).as_posix())
        return names

    def _check_archive(self):
        """Refuse members whose declared sizes make no sense, before inflating any."""
        _check_members(self.archive, self.path)

    def size(self, name):
        """Size in bytes of ``name`` once read (uncompressed)."""
        if self.archive is None:
            return (self.path / name).stat().st_size
        return self.archive.getinfo(name).file_size

    def read(self, name, max_bytes=None):
        """Return the bytes of ``name``, refusing files over ``max_bytes``."""
        try:
            size = self.size(name)
            if max_bytes is not None and size > max_bytes:
                raise ModelFileError(
                    f"{name} in {self.path} declares {size} bytes, more than the "
                    f"{max_bytes} a model file of this kind may hold; the file is "
                    "corrupt or not an sklstm model."
                )
            if self.archive is None:
                with open(self.path / name, "rb") as stream:
                    data = stream.read(size + 1)
                if len(data) != size:
                    raise ModelFileError(
                        f"{name} in {self.path} changed size while it was read."
                    )
                return data
            with self.archive.open(name) as stream:
                data = stream.read(size + 1)
            if len(data) != size:
                raise ModelFileError(
                    f"{name} in {self.path} does not have the size its archive "
                    "declares; the file is corrupt."
                )
            return data
        except (zipfile.BadZipFile, OSError, EOFError, KeyError) as error:
            raise ModelFileError(
                f"{name} in {self.path} cannot be read ({error}); the file is "
                "truncated or corrupt."
            ) from None
