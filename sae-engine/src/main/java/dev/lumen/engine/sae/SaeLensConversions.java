package dev.lumen.engine.sae;

import dev.lumen.engine.safetensors.SafetensorsFile;
import dev.lumen.engine.safetensors.TensorInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tensors each SAELens architecture stores, and their exact conversion to the parameters of the Lumen class
 * that computes the same function:
 * <ul>
 * <li>{@code topk} with {@code rescale_acts_by_decoder_norm}: SAELens multiplies the pre-activations by
 * ‖W_dec,i‖ before the top-k and divides the activations by it before decoding; folding the norms into the weights
 * ({@code _fold_norm_topk}: W_enc,i·‖W_dec,i‖, b_enc,i·‖W_dec,i‖, W_dec,i/‖W_dec,i‖) computes the same
 * activations and reconstruction with a plain TopK.</li>
 * <li>{@code gated}: f = [x·W_enc + b_gate > 0] · relu(x·W_enc·e^r_mag + b_mag) is a JumpReLU with
 * W_enc' = W_enc·e^r_mag, b_enc' = b_mag and threshold b_mag − b_gate·e^r_mag.</li>
 * <li>{@code batchtopk}, {@code matryoshka_batchtopk} (SAELens training saves): a JumpReLU whose threshold is the
 * learned scalar {@code topk_threshold} for every feature, after the decoder-norm fold, as SAELens'
 * {@code save_inference_model} writes it.</li>
 * </ul>
 */
final class SaeLensConversions {

	/** Tensors that may be stored as a scalar (broadcast to every feature) or per feature. */
	static final Set<String> SCALAR_OR_PER_FEATURE = Set.of("threshold", "topk_threshold");

	private SaeLensConversions() {
	}

	/** @return the tensors a stored architecture reads, with their shapes, in the order they are checked */
	static Map<String, long[]> expectedShapes(String stored, SaeConfig cfg, Set<String> present) {
		long dIn = cfg.dIn();
		long dSae = cfg.dSae();
		Map<String, long[]> m = new LinkedHashMap<>();
		m.put("W_enc", new long[] { dIn, dSae });
		if (stored.equals("gated")) {
			m.put("b_gate", new long[] { dSae });
			m.put("b_mag", new long[] { dSae });
			m.put("r_mag", new long[] { dSae });
		}
		else {
			m.put("b_enc", new long[] { dSae });
		}
		m.put("W_dec", new long[] { dSae, dIn });
		m.put("b_dec", new long[] { dIn });
		if (stored.equals("jumprelu")) {
			m.put("threshold", new long[] { dSae });
		}
		if (stored.equals("batchtopk") || stored.equals("matryoshka_batchtopk")) {
			// SAELens' training save holds the scalar topk_threshold; Lumen's own save holds it per feature
			m.put(present.contains("threshold") ? "threshold" : "topk_threshold", new long[] { dSae });
		}
		return m;
	}

	/** Reads the stored tensors and converts them to the parameters of {@code cfg.architecture()}. */
	static SaeParameters convert(String stored, SaeConfig cfg, SafetensorsFile file, boolean rescaleByDecoderNorm) {
		float[] wEnc = file.floats("W_enc");
		float[] wDec = file.floats("W_dec");
		float[] bDec = file.floats("b_dec");
		float[] bEnc;
		float[] threshold = null;
		if (stored.equals("gated")) {
			float[] bGate = file.floats("b_gate");
			float[] bMag = file.floats("b_mag");
			float[] rMag = file.floats("r_mag");
			threshold = new float[cfg.dSae()];
			for (int i = 0; i < cfg.dSae(); i++) {
				float scale = (float) Math.exp(rMag[i]);
				scaleColumn(wEnc, cfg.dSae(), i, scale);
				threshold[i] = bMag[i] - bGate[i] * scale;
			}
			bEnc = bMag;
		}
		else {
			bEnc = file.floats("b_enc");
			for (String name : new String[] { "threshold", "topk_threshold" }) {
				if (file.contains(name)) {
					threshold = perFeature(file, name, cfg.dSae());
				}
			}
		}
		if (rescaleByDecoderNorm) {
			foldDecoderNorms(wEnc, bEnc, wDec, cfg.dIn(), cfg.dSae());
		}
		return new SaeParameters(wEnc, bEnc, wDec, bDec, threshold);
	}

	/** SAELens' {@code _fold_norm_topk}: the same function with unit-norm decoder rows. */
	static void foldDecoderNorms(float[] wEnc, float[] bEnc, float[] wDec, int dIn, int dSae) {
		for (int i = 0; i < dSae; i++) {
			double sq = 0;
			for (int d = 0; d < dIn; d++) {
				sq += (double) wDec[i * dIn + d] * wDec[i * dIn + d];
			}
			float norm = (float) Math.sqrt(sq);
			if (norm == 0) {
				throw new IllegalArgumentException("W_dec row " + i + " is zero; rescale_acts_by_decoder_norm divides by it");
			}
			for (int d = 0; d < dIn; d++) {
				wDec[i * dIn + d] /= norm;
			}
			scaleColumn(wEnc, dSae, i, norm);
			bEnc[i] *= norm;
		}
	}

	private static void scaleColumn(float[] wEnc, int dSae, int column, float scale) {
		for (int r = column; r < wEnc.length; r += dSae) {
			wEnc[r] *= scale;
		}
	}

	/** A threshold stored as one value for all features (broadcast) or one per feature. */
	private static float[] perFeature(SafetensorsFile file, String name, int dSae) {
		TensorInfo info = file.info(name);
		float[] values = file.floats(name);
		if (info.elementCount() == 1) {
			float[] t = new float[dSae];
			Arrays.fill(t, values[0]);
			return t;
		}
		file.info(name, dSae);
		return values;
	}
}
