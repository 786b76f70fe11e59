"""framing: comparative media-framing analysis across outlets."""

from .corpus import clean_articles, cleaning_report, read_corpus
from .errors import FramingError

__version__ = "0.1.0"
__all__ = ["read_corpus", "clean_articles", "cleaning_report", "FramingError"]
