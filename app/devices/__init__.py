"""Identifying the applicant from devices: ID-card readers (GA/T 467), keyboard-wedge scanners and cameras.

Nothing here imports Qt; the Qt side (scanner event filter, camera preview) lives in ``widgets/``.
"""
