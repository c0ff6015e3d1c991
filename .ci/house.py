"""Count where the notebooks break the house rules, then print a table and totals (or `--json`).

Definition cells: code cells marked `#| export` that define at least one public name (a top-level `def` or `class`
whose name does not start with `_`, or is a dunder; a `@patch`ed method counts by its own name, so a patched
`__call__` is public and a patched `_tune` is not). The house rule: one public definition
per cell, prose (a markdown cell) right before it, and an example or test (a non-export code cell) right after it.
A cell breaks it by holding several public definitions, by having no prose before, or by having no example after
(empty cells are skipped when looking for the neighbours). A public name is "never called by a test" when no
non-export code cell of its own notebook uses it (`show_doc(name)` does not count as a use; dunders are not checked).

Long lines: lines over `--width` characters (120) in the code cells of the notebooks and, separately, in the library's
modules (`_modidx.py` excluded). Long cells: export cells over `--cell-lines` lines (40), reported, never gated.

`--max-breaking N`, `--max-never-called N`, `--max-long N` (notebook code cells) and `--max-long-lib N` exit 1 when the
count is above N. Standard library only (no torch, no nbdev): it reads the files and parses them with `ast`.
"""
import argparse, ast, json, re, sys
from configparser import ConfigParser
from pathlib import Path

DIRECTIVE = re.compile(r'^\s*#\s*\|\s*([\w-]+)')
EXPORTS = {'export', 'exports', 'exporti'}
MAGIC = re.compile(r'^\s*[%!]')   # IPython magics and shell lines: not Python

def cell_source(cell) -> str:
    s = cell.get('source', '')
    return ''.join(s) if isinstance(s, list) else s

def directives(src:str) -> set:
    "The `#| name` directives at the top of a cell"
    out = set()
    for line in src.splitlines():
        if not line.strip(): continue
        m = DIRECTIVE.match(line)
        if not m: break
        out.add(m.group(1))
    return out

def python_of(src:str) -> str:
    "A cell's source with magics and shell lines blanked (line numbers kept)"
    return '\n'.join('' if MAGIC.match(l) else l for l in src.splitlines())

def is_public(name:str) -> bool:
    "Not `_private`: a dunder (`__call__` patched onto a class) is public interface"
    return not name.startswith('_') or name.startswith('__') and name.endswith('__')

def public_definitions(src:str, private:bool=False) -> list:
    "Names of the top-level public `def`s and `class`es of an export cell (a `@patch`ed method by its own name)"
    keep = (lambda n: True) if private else is_public
    try: tree = ast.parse(python_of(src))
    except SyntaxError:   # fall back to the lines that start a definition at column 0
        return [m.group(2) for m in re.finditer(r'^(async def|def|class)\s+(\w+)', src, re.M) if keep(m.group(2))]
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return [n.name for n in tree.body if isinstance(n, defs) and keep(n.name)]

def _is_show_doc(node) -> bool:
    f = node.func if isinstance(node, ast.Call) else None
    return isinstance(f, ast.Name) and f.id == 'show_doc' or isinstance(f, ast.Attribute) and f.attr == 'show_doc'

def used_names(src:str) -> set:
    "Every name and attribute a code cell uses, outside `show_doc(...)`"
    try: tree = ast.parse(python_of(src))
    except SyntaxError: return set(re.findall(r'\b[A-Za-z_]\w*\b', src))
    out, todo = set(), [tree]
    while todo:
        node = todo.pop()
        if _is_show_doc(node): continue
        if isinstance(node, ast.Name): out.add(node.id)
        elif isinstance(node, ast.Attribute): out.add(node.attr)
        todo.extend(ast.iter_child_nodes(node))
    return out

def notebook_counts(path:Path, width:int=120, cell_lines:int=40, private:bool=False) -> dict:
    "The house-rule counts of one notebook"
    cells = [c for c in json.loads(path.read_text(encoding='utf-8')).get('cells', []) if cell_source(c).strip()]
    kinds = []   # 'md', 'export' or 'code' per (non-empty) cell
    for c in cells:
        if c.get('cell_type') == 'markdown': kinds.append('md')
        elif c.get('cell_type') == 'code': kinds.append('export' if directives(cell_source(c)) & EXPORTS else 'code')
        else: kinds.append('other')
    used = set()
    for c, k in zip(cells, kinds):
        if k == 'code': used |= used_names(cell_source(c))
    defs, never, long_lines, long_cells = [], [], 0, []
    for i, (c, k) in enumerate(zip(cells, kinds)):
        src = cell_source(c)
        if k in ('export', 'code'): long_lines += sum(len(l) > width for l in src.splitlines())
        if k != 'export': continue
        n_lines = len(src.rstrip('\n').splitlines())
        names = public_definitions(src, private)
        if n_lines > cell_lines: long_cells.append({'names': names, 'lines': n_lines})
        if not names: continue
        why = []
        if len(names) > 1: why.append('several public defs')
        if i == 0 or kinds[i - 1] != 'md': why.append('no prose before')
        if i + 1 == len(cells) or kinds[i + 1] != 'code': why.append('no example after')
        defs.append({'names': names, 'breaks': why})
        never += [n for n in names if n not in used and not n.startswith('__')]   # dunders run by syntax: `pe(x)`
    return {'notebook': path.name, 'definition_cells': len(defs), 'breaking': sum(bool(d['breaks']) for d in defs),
            'several_public_defs': sum('several public defs' in d['breaks'] for d in defs),
            'no_prose_before': sum('no prose before' in d['breaks'] for d in defs),
            'no_example_after': sum('no example after' in d['breaks'] for d in defs),
            'public_names': sum(len(d['names']) for d in defs), 'never_called': never,
            'long_lines': long_lines, 'long_export_cells': long_cells,
            'breaking_cells': [d for d in defs if d['breaks']]}

def library_counts(lib:Path, width:int=120) -> dict:
    "Lines over `width` characters per library module (`_modidx.py` excluded)"
    out = {}
    for f in sorted(lib.glob('*.py')):
        if f.name == '_modidx.py': continue
        out[f.name] = sum(len(l) > width for l in f.read_text(encoding='utf-8').splitlines())
    return out

def project_paths(root:Path) -> tuple:
    "The notebook and library folders that settings.ini names (nbs/ and the lib_name folder by default)"
    cfg = ConfigParser(); cfg.read(root / 'settings.ini')
    d = cfg['DEFAULT']
    return root / d.get('nbs_path', 'nbs'), root / d.get('lib_path', d.get('lib_name', 'hyperrestart_nb'))

COLUMNS = (('definition_cells', 'defs'), ('breaking', 'break'), ('several_public_defs', 'several'),
           ('no_prose_before', 'noprose'), ('no_example_after', 'noexample'), ('never_called', 'never'),
           ('long_lines', 'long'), ('long_export_cells', 'bigcell'))

def _row(name:str, values:dict) -> str:
    return f"{name:32s}" + ''.join(f" {(len(v) if isinstance(v, list) else v):>{len(h)}}" for (k, h), v in
                                   zip(COLUMNS, (values[k] for k, _ in COLUMNS)))

def print_table(rows:list, tot:dict, libc:dict, over:list, verbose:bool=False):
    "The per-notebook table, the totals and the library's long lines"
    head = f"{'notebook':32s}" + ''.join(f' {h}' for _, h in COLUMNS)
    print(head); print('-' * len(head))
    for r in rows:
        print(_row(r['notebook'], r))
        if not verbose: continue
        for d in r['breaking_cells']: print(f"    breaks: {', '.join(d['names'])}: {'; '.join(d['breaks'])}")
        if r['never_called']: print(f"    never called by a test: {', '.join(r['never_called'])}")
    print('-' * len(head)); print(_row(f"total ({tot['notebooks']} notebooks)", tot))
    print(f"\ndefinition cells breaking the rule: {tot['breaking']} of {tot['definition_cells']} "
          f"(several public defs {tot['several_public_defs']}, no prose before {tot['no_prose_before']}, "
          f"no example after {tot['no_example_after']})")
    print(f"public names never called by a test: {tot['never_called']} of {tot['public_names']}")
    by_module = ', '.join(f'{k} {v}' for k, v in sorted(libc.items(), key=lambda kv: -kv[1]) if v)
    print(f"lines over {tot['width']} characters: {tot['long_lines']} in notebook code cells, "
          f"{tot['long_lines_library']} in the library ({by_module})")
    print(f"export cells over {tot['cell_lines']} lines (bigcell): {tot['long_export_cells']}")
    for o in over: print(f'over the limit: {o}')

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--root', default=str(Path(__file__).resolve().parent.parent),
                    help='the project folder (default: this checkout)')
    ap.add_argument('--only', nargs='*', default=None,
                    help='notebook name prefixes to count, e.g. 03_ 07b_ 10_ 11_ (default: every notebook)')
    ap.add_argument('--width', type=int, default=120, help='a line longer than this is long')
    ap.add_argument('--cell-lines', type=int, default=40, help='an export cell longer than this is reported as long')
    ap.add_argument('--private', action='store_true',
                    help='count `_private` definitions too (as the issue counted its cells)')
    ap.add_argument('--json', action='store_true', help='print machine-readable counts')
    ap.add_argument('--verbose', '-v', action='store_true',
                    help='also list the breaking cells and the names never called')
    for k, what in (('breaking', 'definition cells that break the rule'),
                    ('never-called', 'public names never used by a test'),
                    ('long', 'long lines in notebook code cells'), ('long-lib', 'long lines in the library')):
        ap.add_argument(f'--max-{k}', type=int, default=None, help=f'exit 1 if more than N {what}')
    a = ap.parse_args(argv)
    nbs, lib = project_paths(Path(a.root))
    files = sorted(p for p in nbs.glob('*.ipynb') if not p.name.startswith(('_', '.'))   # as nbdev: not `_*`
                   and (a.only is None or any(p.name.startswith(o) for o in a.only)))
    rows = [notebook_counts(p, a.width, a.cell_lines, a.private) for p in files]
    libc = library_counts(lib, a.width) if lib.is_dir() else {}
    tot = {k: sum(r[k] for r in rows) for k in ('definition_cells', 'breaking', 'several_public_defs',
                                                 'no_prose_before', 'no_example_after', 'public_names', 'long_lines')}
    tot.update(never_called=sum(len(r['never_called']) for r in rows), notebooks=len(rows), width=a.width,
               long_export_cells=sum(len(r['long_export_cells']) for r in rows), long_lines_library=sum(libc.values()),
               cell_lines=a.cell_lines)
    limits = {'breaking': (a.max_breaking, tot['breaking']), 'never-called': (a.max_never_called, tot['never_called']),
              'long': (a.max_long, tot['long_lines']), 'long-lib': (a.max_long_lib, tot['long_lines_library'])}
    over = [f'{k}: {n} > {m}' for k, (m, n) in limits.items() if m is not None and n > m]
    if a.json:
        print(json.dumps({'totals': tot, 'notebooks': rows, 'library_long_lines': libc, 'over_limits': over}, indent=1))
    else:
        print_table(rows, tot, libc, over, a.verbose)
    return 1 if over else 0

if __name__ == '__main__': sys.exit(main())
