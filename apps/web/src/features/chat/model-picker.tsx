import { useId } from 'react';
import type { ModelInfo } from '@boocode/protocol';
import { Button, NativeSelect, cn } from '@boocode/ui';
import { RefreshCw } from 'lucide-react';
import { useModels, useRefreshModels } from './chat-api.ts';

/** Picks from the models the endpoint lists; shows why when it cannot list them. */
export function ModelPicker({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (model: string) => void;
}) {
  const errorId = useId();
  const models = useModels();
  const refresh = useRefreshModels();
  const list = models.data?.models ?? [];
  const listError = models.data?.error ?? null;
  // A chat may name a model the endpoint no longer lists; keep it visible rather than lie.
  const options: ModelInfo[] =
    value && !list.some((m) => m.id === value)
      ? [{ id: value, contextLength: null }, ...list]
      : list;

  return (
    <div className="flex min-w-40 flex-1 items-center gap-1.5 @2xl:flex-none">
      {listError ? (
        <p
          className="text-warning max-w-32 truncate text-xs lg:max-w-72"
          title={listError}
          id={errorId}
        >
          {listError}
        </p>
      ) : null}
      <NativeSelect
        aria-label="Model"
        aria-describedby={listError ? errorId : undefined}
        value={value ?? ''}
        disabled={options.length === 0}
        onChange={(e) => onChange(e.target.value)}
        className={cn('w-full min-w-0 @2xl:w-48 @6xl:w-64', listError && 'border-warning/50')}
      >
        {options.length === 0 ? (
          <option value="">{models.isPending ? 'Loading models…' : 'No models'}</option>
        ) : null}
        {options.map((m) => (
          <option key={m.id} value={m.id}>
            {m.id}
          </option>
        ))}
      </NativeSelect>
      <Button
        variant="ghost"
        size="icon"
        aria-label="Refresh models"
        title="Refresh models"
        disabled={refresh.isPending}
        onClick={() => refresh.mutate()}
      >
        <RefreshCw className={cn(refresh.isPending && 'animate-spin')} />
      </Button>
    </div>
  );
}

/** The model a chat uses: its own, else the last picked (if still listed), else the first. */
export function defaultModel(
  chatModel: string | null,
  lastUsed: string | null,
  listed: ModelInfo[] | undefined,
): string | null {
  if (chatModel) return chatModel;
  const ids = listed?.map((m) => m.id) ?? [];
  if (lastUsed && (ids.length === 0 || ids.includes(lastUsed))) return lastUsed;
  return ids[0] ?? null;
}
