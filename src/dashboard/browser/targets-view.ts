/**
 * The scrape targets and their health, from `/api/v1/targets`: an unreachable target shows as down with
 * Prometheus's error (`connect ECONNREFUSED …`, `server returned HTTP status 404 …`), so an empty panel
 * can be told apart from a dead worker.
 */
import { targets } from './api.js';
import { type DomElement, el } from './dom.js';

export class TargetsView {
  readonly element: DomElement = el('section', { id: 'targets', class: 'targets' });

  async refresh(signal: AbortSignal): Promise<void> {
    const answer = await targets(signal);
    if (signal.aborted) return;
    if (!answer.ok) {
      this.element.replaceChildren(el('span', { class: 'target down' }, answer.error));
      return;
    }
    this.element.replaceChildren(
      el('span', { class: 'label' }, 'targets'),
      ...answer.data.map((t) => {
        const name = `${t.labels.job ?? ''}/${t.labels.instance ?? t.scrapeUrl}`;
        const chip = el(
          'span',
          { class: `target ${t.health}`, title: t.scrapeUrl },
          `${name} ${t.health}${t.lastError === '' ? '' : `: ${t.lastError}`}`,
        );
        chip.dataset.health = t.health;
        return chip;
      }),
    );
  }
}
