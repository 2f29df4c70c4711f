import type { CanUseTool, PermissionResult } from '@anthropic-ai/claude-agent-sdk';
import type { PermissionOption } from '@boocode/protocol';
import type { AgentSink } from '../backend.ts';

/** The options of every question, with ACP's kinds (what the inbox and the pane show). */
export const CLAUDE_PERMISSION_OPTIONS: PermissionOption[] = [
  { id: 'allow_always', name: 'Always allow', kind: 'allow_always' },
  { id: 'allow', name: 'Allow', kind: 'allow_once' },
  { id: 'reject', name: 'Reject', kind: 'reject_once' },
];
const NO_ALWAYS = CLAUDE_PERMISSION_OPTIONS.filter((o) => o.kind !== 'allow_always');

/**
 * The SDK's `canUseTool` as a question to the user through the sink. Allowing always takes the
 * rules the CLI suggested, so it stops asking for the same thing; a rejected or cancelled
 * question denies the tool.
 */
export function askThroughSink(sink: AgentSink): CanUseTool {
  return async (toolName, input, opts): Promise<PermissionResult> => {
    const subject = [input.file_path, input.command, input.pattern].find(
      (v): v is string => typeof v === 'string',
    );
    const answer = await sink.requestPermission({
      toolCallId: opts.toolUseID,
      title: opts.title ?? (subject ? `${toolName} ${subject}` : toolName),
      options: opts.suppressAlwaysAllowRule ? NO_ALWAYS : CLAUDE_PERMISSION_OPTIONS,
    });
    if ('cancelled' in answer)
      return {
        behavior: 'deny',
        message: 'The question was cancelled.',
        toolUseID: opts.toolUseID,
      };
    switch (answer.optionId) {
      case 'allow':
        return { behavior: 'allow', updatedInput: input, toolUseID: opts.toolUseID };
      case 'allow_always':
        return {
          behavior: 'allow',
          updatedInput: input,
          updatedPermissions: opts.suggestions ?? [],
          toolUseID: opts.toolUseID,
        };
      default:
        return { behavior: 'deny', message: 'The user rejected this.', toolUseID: opts.toolUseID };
    }
  };
}
