import { useEffect, useState } from 'react';
import { Check, Copy } from 'lucide-react';
import { Button, cn } from '@boocode/ui';
import { toastError } from '../../lib/toast.ts';

/** Copies `text`; the icon confirms for a moment. */
export function CopyButton({
  text,
  label,
  className,
}: {
  text: string;
  label: string;
  className?: string;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => toastError('Could not copy: the browser denied clipboard access.'),
    );
  };
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      aria-label={label}
      title={label}
      className={cn(className)}
      onClick={copy}
    >
      {copied ? <Check className="text-success" /> : <Copy />}
    </Button>
  );
}
