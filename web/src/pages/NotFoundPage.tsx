// A link that leads nowhere: say so and offer the way back.
import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <section className="flex flex-col items-start gap-3" aria-labelledby="nf-title">
      <h1 id="nf-title" className="text-xl font-semibold">
        Page not found
      </h1>
      <p className="text-sm text-muted">
        Nothing lives at <code className="font-mono">{pathname}</code>. The link may be old, or mistyped.
      </p>
      <p className="text-sm">
        <Link to="/" className="text-accent underline">
          Go to the dashboard
        </Link>{' '}
        or{' '}
        <Link to="/executions" className="text-accent underline">
          see all executions
        </Link>
        .
      </p>
    </section>
  );
}
