"""Studies of a sized case (``study`` section): sweeps, Monte Carlo, sensitivity, optimisation.

:func:`thermal.study.run.run_study` runs a case's study; the points are evaluated by one evaluator
(:mod:`thermal.study.evaluate`) through the sizing's and the economics' own entries; the engine
(:mod:`thermal.study.engine`) runs the sizings on a process pool or a Dask cluster. The files
(``study.csv``, the Pareto front, the plots) are written by :mod:`thermal.outputs.study`.
"""
