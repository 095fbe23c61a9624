// A server component: importing the package on the server must work (Node's entry), and so must calling it.
import { version } from 'gateway-checkout';
import Pay from './pay.jsx';

export const dynamic = 'force-dynamic';

export default function Page() {
  return (
    <main data-server-version={version()}>
      <h1>Checkout</h1>
      <Pay />
    </main>
  );
}
