"""Helpers of the notebooks' tests, not part of the package: `skip_check` says visibly that a check cannot run here and logs it
for `.ci/nbtest.py`'s closing count; `fake_run` writes a run folder with made-up numbers for the reporting tests; `hold_folder_lock` holds a folder from another process.
The notebooks import it from their own folder (`.ci/nbtest.py` and Jupyter both run them there)."""
import json, math, os
from pathlib import Path
import numpy as np

from hyperrestart_nb.tasks import DATA_ENV   # the package's variable, not a copy of it
SKIP_LOG_ENV = 'HYPERRESTART_SKIP_LOG'

def skip_check(what:str, # the check that cannot run
               why:str=f'{DATA_ENV} is unset' # what it lacks
              ) -> bool:
    "Say that a check is skipped, visibly, and log it for the test runner's closing count (when $HYPERRESTART_SKIP_LOG names a file)"
    msg = f"SKIP: {why}; {what} needs the real data files" if why.endswith('unset') else f"SKIP: {what}: {why}"
    print(msg)
    if log := os.environ.get(SKIP_LOG_ENV):
        with open(log, 'a') as f: f.write(msg + '\n')
    return True

def fake_run(run_dir, method, schedule, seed, tasks=('a', 'b'), max_steps=64, restarts=(), score=50.):
    "Write a run folder in `hyperrestart train`'s layout with made-up numbers (for tests and examples)"
    d = Path(run_dir); d.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    ev = [{'step': s, 'eval_average_metrics': score * (1 - math.exp(-s / 20)) + rng.normal(), 'eval_loss': 2 * math.exp(-s / 30)}
          for s in range(8, max_steps + 1, 8)]
    test = {f'test_{t}_accuracy': score + rng.normal() for t in tasks}
    test.update({'test_average_metrics': float(np.mean(list(test.values())))}); test['test_task_mean'] = test['test_average_metrics']
    res = dict(status='complete', method=method, schedule=schedule, seed=seed, tasks=list(tasks), max_steps=max_steps,
               restarts=list(restarts), best_step=ev[-1]['step'], eval=ev, test=test)
    (d / 'results.json').write_text(json.dumps(res))
    lr = lambda k: 1e-3 if not restarts else 1e-3 * (0.5 + 0.5 * math.cos(math.pi * (k % 16) / 16))
    (d / 'steps.jsonl').write_text(''.join(json.dumps({'step': k, 'lr': [lr(k)], 'loss': 3 * math.exp(-k / 25) + 0.1 * rng.random(), 'tasks': [k % len(tasks)]}) + '\n' for k in range(max_steps)))
    return d

def hold_folder_lock(folder):
    "A separate process that holds `folder`'s lock (`files.folder_lock`) until it is killed: a second sweep or run on the same folder, in a test"
    import subprocess, sys
    code = (f"import time\nfrom hyperrestart_nb.files import folder_lock\nwith folder_lock({str(folder)!r}, 'run'):\n"
            f"    print('held', flush=True); time.sleep(600)")
    p = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True)
    if p.stdout.readline().strip() != 'held': p.kill(); raise RuntimeError(f'the holder process could not lock {folder}')
    return p

def tiny_study_run(output_dir, **extra):
    "A few steps of the study's config (`cpu-minilm-glue4`) on a tiny BERT, STS-B and RTE from the real data: for tests of the study's notebooks"
    import warnings
    from hyperrestart_nb.grids import resolve_config
    from hyperrestart_nb.run import train_run
    tiny = dict(backbone='tiny-bert', tiny_d_model=32, tiny_layers=2, tasks=['stsb', 'rte'], max_train_examples=32, max_eval_examples=16,
                max_test_examples=8, max_source_length=32, per_device_train_batch_size=8, per_device_eval_batch_size=16, max_steps=4,
                T_0=2, T_mult=1, eval_steps=2, save_steps=2, precision='fp32', disable_tqdm=True)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); return train_run(resolve_config('cpu-minilm-glue4'), **{**tiny, **extra}, output_dir=str(output_dir))
