"""Run every notebook's tests like `nbdev_test`, then print one closing line: `notebooks: N passed, N failed, K checks skipped`."""
import argparse, os, shutil, sys, tempfile, time
from pathlib import Path
# Two torch processes on two cores slow each other badly: one thread per worker.
ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument('--path', default=None, help='a notebook name or glob (default: all notebooks)')
ap.add_argument('--flags', default='', help='space-separated test flags to run that are normally skipped (e.g. "slow")')
ap.add_argument('--n_workers', type=int, default=2)
args = ap.parse_args()
if args.n_workers > 1:
    for v in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ.setdefault(v, '1')
from fastcore.parallel import parallel
import nbdev
# a notebook's last cell exports the package; under the test runner it must not rewrite modules another worker is importing
# (CI checks the export separately), so the workers inherit a no-op
nbdev.nbdev_export = lambda *a, **k: None
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.test import test_nb, _keep_file

cfg = get_config()
# every `skip_check` (a check that needs data or a capability this machine lacks) appends one line here
os.environ['HYPERRESTART_TEST_FLAGS'] = args.flags   # notebooks whose checks are all slow say so, counted as skips
# every temporary file of the tests (runs, checkpoints: several GB in all) goes under one folder, removed at the end, so that
# repeated test runs cannot fill the disk (a full disk fails data loading with an OSError far from its cause)
tmp_root = tempfile.mkdtemp(prefix='hyperrestart-tests-')
os.environ['TMPDIR'] = tempfile.tempdir = tmp_root
free_gb = shutil.disk_usage(tmp_root).free / 1e9
if free_gb < 12: print(f'warning: {free_gb:.1f} GB free under {tmp_root}; the tests write up to about 8 GB of temporary runs at once')
skip_log = os.environ['HYPERRESTART_SKIP_LOG'] = os.path.join(tmp_root, 'skipped.txt')
files = [f.absolute() for f in sorted(nbglob(args.path, as_path=True)) if _keep_file(f, '.notest')]
if not files: print('no notebooks matched'); print('notebooks: 0 passed, 0 failed'); sys.exit(1)
t0 = time.time()
os.chdir(cfg.nbs_path)
sys.path.insert(0, str(cfg.nbs_path))   # the notebooks' test helpers (nbs/test_support.py), as Jupyter finds them from the notebook's folder
try:
    results = parallel(test_nb, files, skip_flags=cfg.tst_flags.split(), force_flags=args.flags.split(),
                       n_workers=args.n_workers, basepath=cfg.config_path, pause=0.01)
    skipped = open(skip_log).read().splitlines() if os.path.exists(skip_log) else []
    left_gb = sum(f.stat().st_size for f in Path(tmp_root).rglob('*') if f.is_file()) / 1e9
finally: shutil.rmtree(tmp_root, ignore_errors=True)
for f, (ok, t) in zip(files, results): print(f"{'PASS' if ok else 'FAIL'} {f.name:40s} {t:6.1f} s")
passed = sum(ok for ok, _ in results)
print(f"total {time.time() - t0:.1f} s")
print(f'temporary files the tests left: {left_gb:.1f} GB, removed')
for line in skipped: print(line)
print(f"notebooks: {passed} passed, {len(files) - passed} failed, {len(skipped)} checks skipped")
sys.exit(0 if passed == len(files) else 1)
