"""Stage 5b, rewriting: synonym-substitution (伪原创) detection, paired (REW001) and
reference-free (REW002).

* :func:`detect_paired_rewrites` aligns candidate pairs sentence by sentence, then token by token
  (:mod:`.align`, :mod:`.paired`) and reports a rewrite with its substitution pairs;
* :func:`implausible_wording` flags phrases no one writes and the document verdict without any
  source (:mod:`.plausibility`), from offline resources only (:mod:`.resources`).
"""

from __future__ import annotations

from .paired import compare, detect_paired_rewrites
from .plausibility import PlausibilityModel, default_model, implausible_wording

__all__ = ["detect_paired_rewrites", "implausible_wording", "compare", "PlausibilityModel",
           "default_model"]
