"""The three outcomes of a check, as the notebook, the grader and the tests name them."""

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
