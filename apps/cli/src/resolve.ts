import path from 'node:path';
import { ChatList, CoderChat, Id, ProjectList, type Chat, type Project } from '@boocode/protocol';
import type { Api } from './client.ts';
import { CliError } from './errors.ts';

/** A project named by its id, its name or its folder (relative to the current one). */
export async function findProject(api: Api, ref: string): Promise<Project> {
  const { projects } = await api.get(ProjectList, '/api/projects');
  const byId = projects.find((p) => p.id === ref);
  if (byId) return byId;
  const folder = path.resolve(ref);
  const found = projects.filter((p) => p.name === ref || p.path === folder);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new CliError(
      `"${ref}" names ${found.length} projects (${found.map((p) => p.path).join(', ')}): give its path.`,
    );
  }
  const known = projects.map((p) => p.name).join(', ') || 'none yet';
  throw new CliError(`No project "${ref}" (known: ${known}).`);
}

/**
 * A chat named by its id, the start of its id (6 characters or more) or its exact title. The
 * list holds plain chats only: a coder pane's chat is found by its whole id.
 */
export async function findChat(api: Api, ref: string): Promise<Chat> {
  if (Id.safeParse(ref).success) return (await api.get(CoderChat, `/api/coder/chats/${ref}`)).chat;
  const { chats } = await api.get(ChatList, '/api/chats');
  const found = chats.filter((c) => c.title === ref || (ref.length >= 6 && c.id.startsWith(ref)));
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new CliError(`"${ref}" names ${found.length} chats: give its id (boocode chats list).`);
  }
  throw new CliError(`No chat "${ref}" (boocode chats list shows them).`);
}
