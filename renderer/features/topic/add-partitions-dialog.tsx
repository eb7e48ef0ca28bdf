// Kafka can only grow a topic's partition count; keys may map to other partitions afterwards,
// which the dialog says before the user commits.
import { useState } from 'react';
import { useAddPartitions } from '../../api/topics.ts';
import { Dialog } from '../../components/dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';

export function AddPartitionsDialog({ clusterId, topic, current, onClose }: { clusterId: string; topic: string; current: number; onClose: () => void }) {
  const add = useAddPartitions(clusterId, topic);
  const [total, setTotal] = useState(current + 1);
  return (
    <Dialog
      title={`Add partitions to ${topic}`}
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={add.isPending} onClick={() => add.mutate(total, { onSuccess: onClose })}>
            {add.isPending ? 'Adding…' : 'Add partitions'}
          </button>
        </>
      }
    >
      <p>
        The topic has {current} partition{current === 1 ? '' : 's'}. Records with the same key may land on a different partition after
        this change.
      </p>
      <label className="field">
        <span>New total partition count</span>
        <input aria-label="New partition count" type="number" min={current + 1} value={total} onChange={(e) => setTotal(Number(e.target.value))} />
      </label>
      <ErrorView error={add.error} />
    </Dialog>
  );
}
