"""audiorepro evaluators: score audio-LLM predictions under named, cited evaluation protocols.

The package is pure scoring code. Data flows one way:
prediction file -> importer -> ``PredictionSet`` -> ``Protocol`` (clean-up -> normalise ->
tokenise -> metric -> aggregate) -> ``Score`` -> golden comparison -> report.
"""

__version__ = "0.1.0"
