import { BackgroundTasks } from '../../src/app/background-tasks';
import { ChangeDelivery, type ProactiveSender } from '../../src/app/change-delivery';
import { RequestViews } from '../../src/app/request-views';
import { systemClock } from '../../src/clock';
import { silentLogger } from '../../src/log';
import type { ChangeKit } from '../changes/support/change-kit';

/** Change delivery over a change kit's workflow and store, sending through `sender`; `background.drain()` waits for it. */
export function deliveryFor(
  k: ChangeKit,
  sender: ProactiveSender,
  options: { secrets?: boolean } = {},
): { delivery: ChangeDelivery; background: BackgroundTasks } {
  const background = new BackgroundTasks(silentLogger);
  const views = new RequestViews({ workflow: k.workflow, access: k.access, store: k.store, clock: systemClock });
  const delivery = new ChangeDelivery({
    sender,
    ...(options.secrets ? { secrets: k.writer } : {}),
    store: k.store,
    workflow: k.workflow,
    views,
    access: k.access,
    background,
    clock: systemClock,
    logger: silentLogger,
    progressUpdateMs: 0,
  });
  return { delivery, background };
}
