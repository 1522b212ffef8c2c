"""The pretrained voice encoder's weights, read from resemblyzer's ``pretrained.pt`` without torch.

The file is torch's legacy serialization: pickles (magic number, protocol, system info, the
checkpoint dict, the list of storage keys) followed by each storage's raw little-endian data,
each preceded by an 8-byte element count. A restricted unpickler maps the few torch names the
checkpoint uses to placeholders; every other global is refused, so the file cannot run code.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}
_MAGIC = 0x1950A86A20F9469CFC6C


class WeightsError(Exception):
    """The file is not a checkpoint this reader understands."""


@dataclass
class _Storage:
    key: str
    dtype: type


@dataclass
class _Tensor:
    storage: _Storage
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor_v2(storage, offset, size, stride, *_rest):
    return _Tensor(storage, int(offset), tuple(size), tuple(stride))


class _StorageType:
    def __init__(self, name: str) -> None:
        self.dtype = _DTYPES[name]


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _rebuild_tensor_v2
        if module == "torch" and name in _DTYPES:
            return _StorageType(name)
        if module == "collections" and name == "OrderedDict":
            from collections import OrderedDict

            return OrderedDict
        raise WeightsError(f"unexpected object in the checkpoint: {module}.{name}")

    def persistent_load(self, pid):
        # ('storage', storage type, key, location, size, view metadata)
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise WeightsError(f"unexpected persistent id {pid!r}")
        return _Storage(key=str(pid[2]), dtype=pid[1].dtype)


def read_state(path: Path | str, *, key: str = "model_state") -> dict[str, np.ndarray]:
    """The tensors of ``checkpoint[key]`` as float32 numpy arrays, by name."""
    with open(path, "rb") as f:
        if _Unpickler(f).load() != _MAGIC:
            raise WeightsError(f"{path} is not a legacy torch checkpoint")
        _Unpickler(f).load()  # protocol version
        _Unpickler(f).load()  # system info (little endian, type sizes)
        checkpoint = _Unpickler(f).load()
        keys = _Unpickler(f).load()
        state = checkpoint[key]
        wanted = {t.storage.key for t in state.values() if isinstance(t, _Tensor)}
        dtypes = {t.storage.key: t.storage.dtype for t in state.values() if isinstance(t, _Tensor)}
        data: dict[str, np.ndarray] = {}
        for storage_key in keys:
            count = int(np.frombuffer(f.read(8), dtype="<i8")[0])
            dtype = np.dtype(dtypes.get(storage_key, np.float32)).newbyteorder("<")
            if storage_key in wanted:
                data[storage_key] = np.frombuffer(f.read(count * dtype.itemsize), dtype=dtype)
            else:
                # Storages of other entries (the optimizer's) are skipped; their element size
                # is read from the pickle, which only the wanted ones were looked up in.
                f.seek(count * _element_size(checkpoint, storage_key), 1)
    out: dict[str, np.ndarray] = {}
    for name, tensor in state.items():
        if not isinstance(tensor, _Tensor):
            continue
        flat = data[tensor.storage.key]
        itemsize = flat.dtype.itemsize
        view = np.lib.stride_tricks.as_strided(
            flat[tensor.offset :],
            shape=tensor.size,
            strides=tuple(s * itemsize for s in tensor.stride),
        )
        out[name] = np.ascontiguousarray(view, dtype=np.float32)
    return out


def _element_size(checkpoint, storage_key: str) -> int:
    for tensor in _tensors(checkpoint):
        if tensor.storage.key == storage_key:
            return np.dtype(tensor.storage.dtype).itemsize
    raise WeightsError(f"storage {storage_key} belongs to no tensor")


def _tensors(obj):
    if isinstance(obj, _Tensor):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _tensors(value)
    elif isinstance(obj, list | tuple):
        for value in obj:
            yield from _tensors(value)
