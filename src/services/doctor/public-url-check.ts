import type { HealthAnswer } from '../../https-probe';
import { type CheckResult, failed, passed } from './check-result';

/** Slack's Request URLs and Meta's callback URL must be HTTPS with a trusted certificate, answering from outside. */
export async function checkPublicUrl(publicUrl: string, probe: (url: string) => Promise<HealthAnswer>): Promise<CheckResult> {
  const name = 'public URL';
  if (!publicUrl.startsWith('https://')) {
    return failed(name, `${publicUrl} is not HTTPS`, 'Slack and Meta only call HTTPS URLs: put a TLS proxy in front and set PUBLIC_URL=https://…');
  }
  const url = `${publicUrl}/healthz`;
  const answer = await probe(url);
  if (answer.kind === 'failed') {
    return failed(name, `${url} did not answer (${answer.detail})`, 'check DNS, the TLS certificate and that the proxy forwards to threadline’s PORT');
  }
  if (answer.status !== 200 || !/"ok"\s*:\s*true/.test(answer.body)) {
    return failed(name, `${url} answered HTTP ${answer.status}, not threadline's health check`, 'point the proxy at threadline (it answers /healthz with {"ok":true})');
  }
  return passed(name, `${url} answers over HTTPS`);
}
