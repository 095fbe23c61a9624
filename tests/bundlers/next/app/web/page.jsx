import PayWeb from './pay-web.jsx';

export default function Page() {
  return (
    <main>
      <h1>Checkout (gateway-checkout/web)</h1>
      <PayWeb />
    </main>
  );
}
