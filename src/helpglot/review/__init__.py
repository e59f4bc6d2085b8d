"""Stage 6: people's decisions: the review queue, approval, ack and adopt, translation branches,
the merge driver.
"""
