import { Button, Toast, ToastViewport } from '@boocode/ui';
import { X } from 'lucide-react';
import { dismissToast, useToasts } from '../lib/toast.ts';

/** Renders the toast queue; errors are announced as alerts. */
export function Toaster() {
  const toasts = useToasts();
  return (
    <ToastViewport>
      {toasts.map((t) => (
        <Toast
          key={t.id}
          variant={t.variant}
          role={t.variant === 'destructive' ? 'alert' : undefined}
        >
          <span className="min-w-0 flex-1 leading-6 break-words">{t.message}</span>
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Dismiss"
            onClick={() => dismissToast(t.id)}
          >
            <X />
          </Button>
        </Toast>
      ))}
    </ToastViewport>
  );
}
