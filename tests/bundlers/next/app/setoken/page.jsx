import SeToken from './se-token.jsx';

export default function Page() {
  return (
    <main>
      <h1>seToken (gateway-checkout/setoken)</h1>
      <SeToken />
    </main>
  );
}
