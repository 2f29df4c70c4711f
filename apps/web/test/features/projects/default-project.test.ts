import { describe, expect, it } from 'vitest';
import type { Project } from '@boocode/protocol';
import { defaultProject, formProject } from '../../../src/features/projects/default-project.ts';

const project = (id: string): Project =>
  ({ id, name: id, path: `/code/${id}`, createdAt: '2026-01-01T00:00:00.000Z' }) as Project;
const two = [project('a'), project('b')];

describe('defaultProject', () => {
  it('starts on the project picked last while it is registered', () => {
    expect(defaultProject('b', two)).toBe('b');
  });

  it('starts on none when "No project" was picked last', () => {
    expect(defaultProject('', [project('a')])).toBeNull();
  });

  it('starts on the only project when the last one is gone or none was ever picked', () => {
    expect(defaultProject('gone', [project('a')])).toBe('a');
    expect(defaultProject(null, [project('a')])).toBe('a');
  });

  it('starts on none when several are registered and none was picked', () => {
    expect(defaultProject(null, two)).toBeNull();
  });

  it('keeps the last pick while the projects load', () => {
    expect(defaultProject('b', undefined)).toBe('b');
  });
});

describe('formProject', () => {
  it('falls back to the first project when one is required', () => {
    expect(formProject(null, two, true)).toBe('a');
    expect(formProject('', two, true)).toBe('a');
  });

  it('leaves the choice on none when none is allowed', () => {
    expect(formProject(null, two, false)).toBeNull();
  });

  it('is none when a project is required but none is registered', () => {
    expect(formProject(null, [], true)).toBeNull();
  });
});
