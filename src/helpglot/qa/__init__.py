"""Stage 5: QA of translations: the checks, the sanitiser and what the build may publish."""
