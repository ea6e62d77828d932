"""Saved models as files: JSON and safetensors, written whole, read without code.

This package is the file format only; it knows nothing of the estimators.
An estimator exports itself as a :class:`ModelRecord` and rebuilds itself
from one (see :func:`sklstm.save` and :func:`sklstm.load`).
"""

from .encoding import array_from_json, array_to_json, decode_params, encode_params
from .files import BundleReader, ModelFileError, check_archive_bytes, write_bundle
from .pipeline_schema import check_pipeline
from .record import (
    FORMAT_VERSION,
    ModelRecord,
    read_json,
    read_record,
    record_files,
    record_from_bundle,
    write_record,
)
from .schema import MAX_BYTES

__all__ = [
    "FORMAT_VERSION",
    "MAX_BYTES",
    "BundleReader",
    "ModelFileError",
    "ModelRecord",
    "array_from_json",
    "array_to_json",
    "check_archive_bytes",
    "check_pipeline",
    "decode_params",
    "encode_params",
    "read_json",
    "read_record",
    "record_files",
    "record_from_bundle",
    "write_bundle",
    "write_record",
]
