package dev.lumen.engine.sae.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.lumen.engine.sae.SaeArchitecture;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeParameters;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaeTrainerTest {

	private static final int D_IN = 32;

	private static final int TRUE_FEATURES = 48;

	@TempDir
	Path tmp;

	private static SaeConfig hook() {
		return SaeConfig.of(D_IN, 1, SaeArchitecture.STANDARD, 0, "blocks.0.hook_resid_post", "synthetic");
	}

	private static TrainSaeOptions options(SaeArchitecture architecture) {
		return TrainSaeOptions.defaults(2 * TRUE_FEATURES, 256L * 700)
			.withArchitecture(architecture, architecture == SaeArchitecture.TOPK ? 4 : 0)
			.withRates(1.0, 3e-3)
			.withBudget(256, 256L * 700, 7)
			.withWindows(256L * 200, 4096);
	}

	@Test
	void standardSaeRecoversKnownSparseDirections() {
		assertRecovers(SaeArchitecture.STANDARD);
	}

	@Test
	void topKSaeRecoversKnownSparseDirections() {
		assertRecovers(SaeArchitecture.TOPK);
	}

	private static void assertRecovers(SaeArchitecture architecture) {
		SyntheticSparseSource source = new SyntheticSparseSource(D_IN, TRUE_FEATURES, 3, 99);
		SaeTrainingRun.Result r = SaeTrainingRun.train(hook(), options(architecture), source, false, Device.cpu(),
				p -> System.out.println(p.summary()), 300);
		double meanMaxCos = meanMaxCosine(source.directions(), r.parameters().wDec(), D_IN);
		System.out.println(architecture + " mean max cosine " + meanMaxCos);
		assertThat(meanMaxCos).isGreaterThanOrEqualTo(0.9);
	}

	@Test
	void resumedRunEqualsUninterruptedRun() {
		TrainSaeOptions opts = options(SaeArchitecture.STANDARD).withBudget(64, 64L * 40, 3)
			.withWindows(64L * 10, 128)
			.withCheckpoints(10, this.tmp.resolve("ckpt"));
		SaeTrainingRun.Result straight = SaeTrainingRun.train(hook(), opts.withCheckpoints(0, null),
				new SyntheticSparseSource(D_IN, TRUE_FEATURES, 3, 5), false, Device.cpu(), ProgressListener.none(), 10);

		// crash while reading the 26th batch: the last checkpoint is at step 20
		ActivationSource crashing = new CrashingSource(new SyntheticSparseSource(D_IN, TRUE_FEATURES, 3, 5), 2 + 25);
		assertThatThrownBy(() -> SaeTrainingRun.train(hook(), opts, crashing, false, Device.cpu(),
				ProgressListener.none(), 10)).hasMessageContaining("simulated crash");
		SaeTrainingRun.Result resumed = SaeTrainingRun.train(hook(), opts,
				new SyntheticSparseSource(D_IN, TRUE_FEATURES, 3, 5), true, Device.cpu(), ProgressListener.none(), 10);

		assertThat(resumed.tokens()).isEqualTo(20L * 64);
		assertThat(resumed.config()).isEqualTo(straight.config());
		SaeParameters a = straight.parameters();
		SaeParameters b = resumed.parameters();
		assertThat(b.wEnc()).containsExactly(a.wEnc());
		assertThat(b.bEnc()).containsExactly(a.bEnc());
		assertThat(b.wDec()).containsExactly(a.wDec());
		assertThat(b.bDec()).containsExactly(a.bDec());
		assertThat(resumed.last()).isEqualTo(straight.last());
	}

	@Test
	void resumeWithOtherOptionsIsRefused() throws Exception {
		TrainSaeOptions opts = options(SaeArchitecture.STANDARD).withBudget(64, 64L * 10, 3)
			.withWindows(64L * 10, 128)
			.withCheckpoints(5, this.tmp.resolve("ckpt2"));
		SaeTrainingRun.train(hook(), opts, new SyntheticSparseSource(D_IN, TRUE_FEATURES, 3, 5), false, Device.cpu(),
				ProgressListener.none(), 10);
		assertThatThrownBy(() -> SaeTrainingRun.train(hook(), opts.withRates(2.0, 3e-3),
				new SyntheticSparseSource(D_IN, TRUE_FEATURES, 3, 5), true, Device.cpu(), ProgressListener.none(), 10))
			.hasMessageContaining("other options")
			.hasMessageContaining("l1=1.0");
	}

	/** Fails on the batch after {@code limit} batches, like a process killed mid-run. */
	private static final class CrashingSource implements ActivationSource {

		private final ActivationSource inner;

		private final int limit;

		private int served;

		CrashingSource(ActivationSource inner, int limit) {
			this.inner = inner;
			this.limit = limit;
		}

		@Override
		public int dIn() {
			return this.inner.dIn();
		}

		@Override
		public float[] nextBatch(int n) {
			if (this.served++ == this.limit) {
				throw new IllegalStateException("simulated crash");
			}
			return this.inner.nextBatch(n);
		}
	}

	/** For each true direction, the best cosine with any decoder row, averaged. */
	static double meanMaxCosine(float[] truth, float[] wDec, int dIn) {
		int nTrue = truth.length / dIn;
		int nDec = wDec.length / dIn;
		double total = 0;
		for (int t = 0; t < nTrue; t++) {
			double best = -1;
			for (int d = 0; d < nDec; d++) {
				double dot = 0;
				double norm = 0;
				for (int i = 0; i < dIn; i++) {
					dot += truth[t * dIn + i] * wDec[d * dIn + i];
					norm += wDec[d * dIn + i] * wDec[d * dIn + i];
				}
				best = Math.max(best, dot / Math.sqrt(norm + 1e-30));
			}
			total += best;
		}
		return total / nTrue;
	}
}
