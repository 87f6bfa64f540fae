"""The Spark engine: the same analysis as :func:`graphinflu.analysis.analyze`, with the heavy steps
run as Spark jobs (``graphinflu analyze FILE --engine spark``). Needs ``pip install
'graphinflu[spark]'`` and a JDK 17+; see README, "Beyond one machine: the Spark engine".
"""
