import PayCard from './pay-card.jsx';

export const dynamic = 'force-dynamic';

export default function Page() {
  return (
    <main>
      <h1>Checkout (gateway-checkout/card)</h1>
      <PayCard />
    </main>
  );
}
