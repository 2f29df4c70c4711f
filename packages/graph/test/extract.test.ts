import { describe, expect, it } from 'vitest';
import type { GraphLanguage } from '@boocode/protocol';
import { extractGraph, languageOf, loadLanguage } from '../src/index.ts';

async function extract(lang: GraphLanguage, source: string) {
  return extractGraph(await loadLanguage(lang), source);
}
const sym = (g: Awaited<ReturnType<typeof extract>>, name: string) =>
  g.symbols.find((s) => s.name === name);
const callsOf = (g: Awaited<ReturnType<typeof extract>>, caller: string) =>
  g.refs
    .filter((r) => r.call && r.callerOrd !== null && g.symbols[r.callerOrd]!.name === caller)
    .map((r) => r.name);

describe('extractGraph', () => {
  it('finds TypeScript functions, classes, methods, interfaces, types, module consts and their ranges', async () => {
    const g = await extract(
      'typescript',
      [
        "import { a, b as c } from './lib';",
        "import * as ns from 'ns';",
        'export interface Shape { area(): number }',
        'export type Id = string;',
        'enum Color { Red }',
        'export const LIMIT = 3;',
        'const twice = (x: number) => x * 2;',
        'export class Box implements Shape {',
        '  area() { return twice(helper(LIMIT)); }',
        '}',
        'function helper(n: number) { return n; }',
        'function outer() { let local = 1; return local; }',
      ].join('\n'),
    );
    expect(g.symbols.map((s) => [s.name, s.kind, s.container])).toEqual([
      ['Shape', 'interface', null],
      ['area', 'method', 'Shape'],
      ['Id', 'type', null],
      ['Color', 'enum', null],
      ['LIMIT', 'variable', null],
      ['twice', 'function', null],
      ['Box', 'class', null],
      ['area', 'method', 'Box'],
      ['helper', 'function', null],
      ['outer', 'function', null],
    ]);
    expect(sym(g, 'Box')).toMatchObject({ startLine: 8, startCol: 8, endLine: 10, endCol: 2 });
    expect(callsOf(g, 'area')).toEqual(['twice', 'helper']);
    expect(g.imports).toEqual([
      { module: './lib', names: ['a', 'b'], line: 1, dynamic: false },
      { module: 'ns', names: ['*'], line: 2, dynamic: false },
    ]);
    // A definition's own name is no reference; a use is.
    expect(g.refs.filter((r) => r.name === 'helper').map((r) => r.line)).toEqual([9]);
  });

  it('marks calls through a member and dynamic imports in JavaScript with JSX', async () => {
    const g = await extract(
      'javascript',
      [
        "const mod = await import('./lazy.js');",
        "const fs = require('node:fs');",
        'function App() { return <div onClick={() => api.save(mod)}>{render()}</div>; }',
      ].join('\n'),
    );
    expect(sym(g, 'App')?.kind).toBe('function');
    expect(g.imports.map((i) => [i.module, i.dynamic])).toEqual([
      ['./lazy.js', true],
      ['node:fs', false],
    ]);
    const save = g.refs.find((r) => r.name === 'save');
    expect(save).toMatchObject({ call: true, member: true });
    expect(g.refs.find((r) => r.name === 'render')).toMatchObject({ call: true, member: false });
  });

  it('reads TSX components', async () => {
    const g = await extract(
      'tsx',
      'export function Card(p: { title: string }) { return <h1>{p.title}</h1>; }',
    );
    expect(g.symbols.map((s) => [s.name, s.kind])).toEqual([['Card', 'function']]);
  });

  it('finds Python classes, methods, module variables, calls and from-imports', async () => {
    const g = await extract(
      'python',
      [
        'from os.path import join, split as sp',
        'import json',
        'TIMEOUT = 5',
        'class Repo:',
        '    def load(self):',
        '        return parse(self.read())',
        'def parse(text):',
        '    return json.loads(text)',
      ].join('\n'),
    );
    expect(g.symbols.map((s) => [s.name, s.kind, s.container])).toEqual([
      ['TIMEOUT', 'variable', null],
      ['Repo', 'class', null],
      ['load', 'method', 'Repo'],
      ['parse', 'function', null],
    ]);
    expect(callsOf(g, 'load')).toEqual(['parse', 'read']);
    expect(g.imports).toEqual([
      { module: 'os.path', names: ['join', 'split'], line: 1, dynamic: false },
      { module: 'json', names: [], line: 2, dynamic: false },
    ]);
  });

  it('finds Go functions, methods with their receiver, structs and interfaces', async () => {
    const g = await extract(
      'go',
      [
        'package main',
        'import (',
        '  "fmt"',
        '  str "strings"',
        ')',
        'type Server struct { name string }',
        'type Runner interface { Run() error }',
        'func (s *Server) Run() error { fmt.Println(str.ToUpper(s.name)); return start() }',
        'func start() error { return nil }',
      ].join('\n'),
    );
    expect(g.symbols.map((s) => [s.name, s.kind, s.container])).toEqual([
      ['Server', 'class', null],
      ['Runner', 'interface', null],
      ['Run', 'method', 'Runner'],
      ['Run', 'method', 'Server'],
      ['start', 'function', null],
    ]);
    expect(callsOf(g, 'Run')).toEqual(['Println', 'ToUpper', 'start']);
    expect(g.imports.map((i) => [i.module, i.names])).toEqual([
      ['fmt', ['fmt']],
      ['strings', ['str']],
    ]);
  });

  it('finds Rust structs, traits, impl methods, modules and use declarations', async () => {
    const g = await extract(
      'rust',
      [
        'use std::collections::{HashMap, HashSet};',
        'pub struct Cache { map: HashMap<String, u32> }',
        'pub trait Store { fn get(&self) -> u32; }',
        'impl Cache {',
        '    pub fn new() -> Self { Cache { map: HashMap::new() } }',
        '    fn size(&self) -> usize { self.map.len() + helper() }',
        '}',
        'fn helper() -> usize { println!("x"); 0 }',
        'mod inner { pub fn deep() {} }',
      ].join('\n'),
    );
    expect(g.symbols.map((s) => [s.name, s.kind, s.container])).toEqual([
      ['Cache', 'class', null],
      ['Store', 'interface', null],
      ['get', 'method', 'Store'],
      ['new', 'method', 'Cache'],
      ['size', 'method', 'Cache'],
      ['helper', 'function', null],
      ['inner', 'module', null],
      ['deep', 'function', 'inner'],
    ]);
    expect(callsOf(g, 'size')).toEqual(['len', 'helper']);
    expect(callsOf(g, 'helper')).toEqual(['println']);
    expect(g.imports).toEqual([
      {
        module: 'std::collections::{HashMap, HashSet}',
        names: ['HashMap', 'HashSet'],
        line: 1,
        dynamic: false,
      },
    ]);
  });

  it('knows a file language by its extension', () => {
    expect(
      ['a.ts', 'b.d.ts', 'c.tsx', 'd.mjs', 'e.jsx', 'f.py', 'g.go', 'h.rs', 'i.md'].map(languageOf),
    ).toEqual([
      'typescript',
      'typescript',
      'tsx',
      'javascript',
      'javascript',
      'python',
      'go',
      'rust',
      null,
    ]);
  });
});
