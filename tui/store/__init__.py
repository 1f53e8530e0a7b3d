"""Reading a casefile folder with its problems, and writing one record safely."""

from .casefile import Casefile, FileStamp, load, read_record
from .problems import CODES, Problem
from .save import ChangedOnDisk, SaveError, WouldLoseComments, delete, save, to_toml, write_atomically

__all__ = [
    "CODES", "Casefile", "ChangedOnDisk", "FileStamp", "Problem", "SaveError", "load", "read_record",
    "save", "to_toml", "write_atomically", "WouldLoseComments", "delete",
]
