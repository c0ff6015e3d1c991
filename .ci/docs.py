"""Build the documentation site offline into _docs/: nbdev processes the notebooks into _proc/ (Quarto's step is
skipped), smalldocs renders them with a local KaTeX, and `smalldocs check` must find no broken link.
Exits 1 when a notebook cannot be processed, a cell mixes imports with other code, or a link is broken."""
import io, os, re, shutil, subprocess, sys, warnings
from contextlib import redirect_stdout, redirect_stderr
from pathlib import Path

root = Path(__file__).resolve().parent.parent
os.chdir(root)
KATEX_VERSION = '0.16.11'
# smalldocs' own notices on every nbdev project (nbdev's _quarto.yml asks for Quarto-only features)
KNOWN_NOTICES = ('format commonmark is not built', 'format.html.html-math-method is ignored',
                 'format.html.keep-md is ignored', 'output-file is not read by smalldocs')

def fail(msg): print(f'docs: FAILED: {msg}'); sys.exit(1)

def main():
    # the notebooks' test helpers (nbs/test_support.py): nbdev runs their import cells while processing, from another folder
    nbs = os.path.abspath('nbs'); sys.path.insert(0, nbs); os.environ['PYTHONPATH'] = os.pathsep.join(filter(None, [nbs, os.environ.get('PYTHONPATH')]))
    # 1. nbdev's processing, without Quarto
    shutil.rmtree('_proc', ignore_errors=True)
    import nbdev.quarto as q
    q._ensure_quarto = lambda: None
    # nbdev processes notebooks in worker processes, whose warnings go to the inherited stderr, not to this process's
    # warning filters: capture file descriptor 2 itself while it runs
    import tempfile
    err, saved = tempfile.TemporaryFile(), os.dup(2)
    sys.stderr.flush(); os.dup2(err.fileno(), 2)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            try: q._pre_docs()
            except Exception as e: fail(f'nbdev could not process the notebooks: {type(e).__name__}: {e}')
    finally:
        sys.stderr.flush(); os.dup2(saved, 2); os.close(saved)
    err.seek(0); text = err.read().decode(errors='replace')
    mixed = [str(w.message) for w in caught if 'Found cells containing imports' in str(w.message)]
    mixed += ['Found cells containing imports' + chunk.split('\n---\n\n')[0] for chunk in text.split('Found cells containing imports')[1:]]
    if mixed: fail('cells mix imports with other code (keep imports in their own cells):\n' + '\n'.join(mixed))
    print(f'docs: processed {len(list(Path("_proc").glob("*.ipynb")))} notebooks into _proc/')

    # 2. a local KaTeX (formulas render with no network)
    katex = root/'.ci'/'node_modules'/'katex'/'dist'
    if not katex.exists():
        subprocess.run(['npm', 'install', '--prefix', str(root/'.ci'), '--no-audit', '--no-fund', '--silent',
                        f'katex@{KATEX_VERSION}'], check=True)

    # 3. render with smalldocs, KaTeX pointed at the local copy
    import smalldocs.layout, smalldocs.cli
    smalldocs.layout.KATEX = 'katex'
    if smalldocs.cli.main(['render', '--quiet', '_proc']) != 0: fail('smalldocs render failed')
    out = root/'_proc'/'_docs'
    shutil.copytree(katex, out/'katex')
    buf = io.StringIO()
    with redirect_stdout(buf), redirect_stderr(buf): smalldocs.cli.main(['check', '_proc'])
    problems = [l for l in buf.getvalue().splitlines()
                if l.strip() and not any(k in l for k in KNOWN_NOTICES) and 'thing(s) to look at' not in l]
    if problems: fail('smalldocs check:\n' + '\n'.join(problems))
    shutil.rmtree(root/'_docs', ignore_errors=True); shutil.move(str(out), root/'_docs')
    pages = sorted(p.name for p in (root/'_docs').glob('*.html'))
    # raw LaTeX where no formula renders: the table of contents, headings, and show_doc's parameter tables (prose math is KaTeX's)
    raw, latex = [], re.compile(r'\$[^$\s][^$]*\$|\\(top|phi|theta|tau|gamma|beta|equiv|mathrm|varphi)\b')
    for page in (root/'_docs').glob('*.html'):
        html = page.read_text(errors='replace')
        parts = [m.group(1) for m in re.finditer(r'<nav id="TOC"[^>]*>(.*?)</nav>', html, re.S)]
        parts += [m.group(2) for m in re.finditer(r'<(h[1-6])[^>]*>(.*?)</\1>', html, re.S)]
        parts += [m.group(1) for m in re.finditer(r'cell-output-markdown">\s*<table[^>]*>(.*?)</table>', html, re.S)]
        for part in parts:
            text = re.sub(r'<[^>]+>', ' ', part)
            if latex.search(text): raw.append(f'{page.name}: {" ".join(text.split())[:100]!r}')
    if raw: fail('raw LaTeX in headings, signatures or parameter tables:\n' + '\n'.join(sorted(set(raw))[:40]))
    print(f'docs: {len(pages)} pages in _docs/ ({", ".join(pages)}), no broken links')

if __name__ == '__main__': main()
