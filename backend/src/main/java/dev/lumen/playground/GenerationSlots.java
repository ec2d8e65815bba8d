package dev.lumen.playground;

import dev.lumen.system.ModelBusyException;
import dev.lumen.system.ModelWork;
import org.springframework.stereotype.Component;

/**
 * Slots for steered generations and prompt analysis, taken from the server's one model scheduler
 * ({@link ModelWork}, which bounds every model run and queues each kind separately); a refusal surfaces as
 * {@link PlaygroundBusyException}, which the playground shows inline and the JSON API as 429 with Retry-After.
 */
@Component
public class GenerationSlots {

	private final ModelWork work;

	public GenerationSlots(ModelWork work) {
		this.work = work;
	}

	/**
	 * Takes a steering slot, waiting in the steering queue when all are busy.
	 * @return the slot, to be closed when the generation ends
	 * @throws PlaygroundBusyException when the queue is full or the wait times out
	 */
	public Slot enter() {
		return enter(ModelWork.Kind.STEERING);
	}

	/** Takes a slot for {@code kind} (steering or analysis). */
	public Slot enter(ModelWork.Kind kind) {
		try {
			return new Slot(this.work.enter(kind));
		}
		catch (ModelBusyException ex) {
			throw new PlaygroundBusyException(ex.getMessage(), ex.retryAfterSeconds());
		}
	}

	/** A held generation slot. */
	public static final class Slot implements AutoCloseable {

		private final ModelWork.Permit permit;

		Slot(ModelWork.Permit permit) {
			this.permit = permit;
		}

		@Override
		public void close() {
			this.permit.close();
		}
	}
}
