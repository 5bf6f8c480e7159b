// The inbox's selection and "approve selected": ids the user ticked (only
// those still listed count), one vote each, the outcome per request kept for
// the report; approved ones leave the selection, refused ones stay.
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { castVote } from './api';
import { voteOnEach, type BulkOutcome } from './bulk';
import type { ApprovalItem } from './types';
import { refreshAfterVote } from './useVote';

export function useBulkApprove(items: ApprovalItem[], describe: (item: ApprovalItem) => string) {
  const client = useQueryClient();
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<BulkOutcome[] | null>(null);
  const [labels, setLabels] = useState<Map<string, string>>(new Map());
  const selected = useMemo(() => items.filter((i) => ticked.has(i.id)).map((i) => i.id), [items, ticked]);

  const select = (id: string, on: boolean) =>
    setTicked((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const approve = async () => {
    if (busy || selected.length === 0) return;
    setBusy(true);
    setLabels(new Map(items.map((i) => [i.id, describe(i)])));
    try {
      const result = await voteOnEach(selected, (id) => castVote(id, true, ''));
      setOutcomes(result);
      setTicked(new Set(result.filter((o) => !o.ok).map((o) => o.id)));
    } finally {
      setBusy(false);
      refreshAfterVote(client);
    }
  };

  return {
    selected,
    busy,
    outcomes,
    isSelected: (id: string) => ticked.has(id),
    select,
    selectOnly: (ids: string[]) => setTicked(new Set(ids)),
    approve,
    describe: (id: string) => labels.get(id) ?? `Request ${id.slice(0, 8)}`,
  };
}
