// The emergency stop's controls (admin): turn it on with a reason and a
// mode (let running deployments finish, or cancel them), and lift it. The
// Environments page shows EmergencyStopButton; the banner on every page
// shows LiftEmergencyStop while it is on. Others see them disabled with why.
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { del, post } from '../api/client';
import { emergencyStopQuery, type EmergencyStop } from '../shell/queries';
import { Button } from '../ui/Button';
import { emergencyStopRefusal } from './permissions';
import { ReasonDialog } from './ReasonDialog';

type Mode = 'let_finish' | 'cancel';

function useRefreshStop() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: emergencyStopQuery.queryKey });
}

export function LiftEmergencyStop({ role, size = 'sm' }: { role: string; size?: 'sm' | 'md' }) {
  const refresh = useRefreshStop();
  const [open, setOpen] = useState(false);
  const refusal = emergencyStopRefusal(role);
  return (
    <>
      <Button size={size} data-testid="emergency-stop-lift" disabled={refusal !== null} reason={refusal ?? undefined} onClick={() => setOpen(true)}>
        Lift the stop
      </Button>
      {open && (
        <ReasonDialog
          title="Lift the emergency stop?"
          consequence="Deployments may start again: every run held by the stop is re-evaluated at once."
          confirmLabel="Lift the stop"
          askReason={false}
          confirmTestId="emergency-stop-lift-confirm"
          onConfirm={() => del<EmergencyStop>('/api/v1/emergency-stop').then(refresh)}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

function ModeChoice({ mode, onChange }: { mode: Mode; onChange: (m: Mode) => void }) {
  const name = useId();
  const options: [Mode, string][] = [
    ['let_finish', 'Let running deployments finish'],
    ['cancel', 'Cancel running deployments now'],
  ];
  return (
    <fieldset className="flex flex-col gap-1 text-sm">
      <legend className="mb-1 font-medium">Deployments already running</legend>
      {options.map(([value, label]) => (
        <label key={value} className="flex items-center gap-2">
          <input type="radio" name={name} value={value} checked={mode === value} onChange={() => onChange(value)} data-testid={`emergency-stop-mode-${value}`} />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

export function EmergencyStopButton({ role, stop }: { role: string; stop: EmergencyStop | undefined }) {
  const refresh = useRefreshStop();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<Mode>('let_finish');
  if (stop?.active) return <LiftEmergencyStop role={role} size="md" />;
  const refusal = emergencyStopRefusal(role);
  return (
    <>
      <Button variant="danger" data-testid="emergency-stop" disabled={refusal !== null || !stop} reason={refusal ?? undefined} onClick={() => setOpen(true)}>
        Emergency stop
      </Button>
      {open && (
        <ReasonDialog
          title="Stop every deployment?"
          consequence="While the stop is on, no deployment of any project starts; held runs wait until an admin lifts it."
          confirmLabel="Stop deployments"
          reasonTestId="emergency-stop-reason"
          confirmTestId="emergency-stop-confirm"
          reasonPlaceholder="What is happening? Everyone sees this in the banner."
          onConfirm={(reason) => post<EmergencyStop>('/api/v1/emergency-stop', { reason, mode }).then(refresh)}
          onClose={() => setOpen(false)}
        >
          <ModeChoice mode={mode} onChange={setMode} />
        </ReasonDialog>
      )}
    </>
  );
}
