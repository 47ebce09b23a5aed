import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from './button';
import { Icons } from './icons';

interface ErrorBoundaryProps {
  children: ReactNode;
}

interface ErrorBoundaryState {
  error: Error | undefined;
}

/**
 * The last line: a rendering bug shows a calm page with the message and a way back, instead of a white
 * window. Service errors never land here; they are data and are shown where they happen.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: undefined };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The devtools console is where a developer looks; the user sees the page below.
    console.error('Hangar hit a rendering error', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="fatal" role="alert" aria-labelledby="fatal-title">
        <div className="fatal__card">
          <Icons.alert size={32} className="fatal__icon" />
          <h1 id="fatal-title" className="fatal__title">
            Something went wrong in this window
          </h1>
          <p className="fatal__text">Your instances, transfers and tunnels are not affected. Reloading the window usually fixes this.</p>
          <pre className="fatal__detail">{error.message}</pre>
          <div className="fatal__actions">
            <Button variant="primary" icon={<Icons.retry size={16} />} onClick={() => window.location.reload()}>
              Reload window
            </Button>
            <Button onClick={() => this.setState({ error: undefined })}>Try to continue</Button>
          </div>
        </div>
      </div>
    );
  }
}
