package dev.lumen.engine.sae;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.engine.load.Strictness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gemma Scope SAEs: a folder holding {@code params.npz} (W_enc [d_in, d_sae], W_dec [d_sae, d_in], b_enc, b_dec,
 * threshold; float32), read as a JumpReLU SAE. The files carry no configuration; SAELens derives it from the
 * repository and folder names ({@code get_gemma_2_config_from_hf}), and so does {@link #config(String, String)},
 * which {@code lumen pull-sae} writes as the folder's cfg.json.
 */
public final class GemmaScope {

	/** The weights file of a Gemma Scope folder. */
	public static final String PARAMS = "params.npz";

	private static final Map<String, Integer> WIDTHS = widths();

	private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");

	/** SAELens' model table: repository infix → (model name, d_model); "-it" first, as SAELens matches in order. */
	private static final String[][] MODELS = { { "2b-it", "gemma-2-2b-it", "2304" }, { "9b-it", "gemma-2-9b-it", "3584" },
			{ "27b-it", "gemma-2-27b-it", "4608" }, { "2b", "gemma-2-2b", "2304" }, { "9b", "gemma-2-9b", "3584" },
			{ "27b", "gemma-2-27b", "4608" } };

	private GemmaScope() {
	}

	private static Map<String, Integer> widths() {
		Map<String, Integer> m = new LinkedHashMap<>();
		String[] names = { "4k", "16k", "32k", "65k", "131k", "262k", "524k", "1m" };
		int[] sizes = { 4096, 16384, 32768, 65536, 131072, 262144, 524288, 1048576 };
		for (int i = 0; i < names.length; i++) {
			m.put("width_" + names[i], sizes[i]);
		}
		return m;
	}

	/**
	 * The cfg.json SAELens 6.18 builds for a Gemma Scope folder, key for key.
	 * @param repoId e.g. {@code google/gemma-scope-2b-pt-res}
	 * @param folder e.g. {@code layer_3/width_16k/average_l0_50}
	 * @throws IllegalArgumentException where SAELens fails too, or for embedding SAEs (hook_embed is not a Lumen hook)
	 */
	public static ObjectNode config(String repoId, String folder) {
		Integer dSae = WIDTHS.entrySet().stream().filter(e -> folder.contains(e.getKey())).map(Map.Entry::getValue)
			.findFirst().orElse(null);
		Matcher layer = LAYER.matcher(folder);
		if (folder.contains("embedding")) {
			throw new IllegalArgumentException(repoId + "/" + folder + ": an embedding SAE reads hook_embed, which is not one "
					+ "of Lumen's hook points");
		}
		if (!layer.find()) {
			throw new IllegalArgumentException(repoId + "/" + folder + ": no layer_N in the folder name");
		}
		int l = Integer.parseInt(layer.group(1));
		String[] model = Arrays.stream(MODELS).filter(m -> repoId.contains(m[0])).findFirst()
			.orElseThrow(() -> new IllegalArgumentException(repoId + ": no Gemma 2 model size (2b, 9b, 27b) in the name"));
		int dIn = Integer.parseInt(model[2]);
		String hook;
		if (repoId.contains("res")) {
			hook = "blocks." + l + ".hook_resid_post";
		}
		else if (repoId.contains("mlp")) {
			hook = "blocks." + l + ".hook_mlp_out";
		}
		else if (repoId.contains("att")) {
			hook = "blocks." + l + ".attn.hook_z";
			// as SAELens: looked up by the matched size key, so the "-it" repositories keep d_model
			dIn = Map.of("2b", 2048, "9b", 4096, "27b", 4608).getOrDefault(model[0], dIn);
		}
		else {
			throw new IllegalArgumentException(repoId + ": neither res, mlp nor att in the name; no hook for it");
		}
		ObjectNode cfg = new ObjectMapper().createObjectNode();
		cfg.put("architecture", "jumprelu");
		cfg.put("d_in", dIn);
		if (dSae == null) {
			cfg.putNull("d_sae");
		}
		else {
			cfg.put("d_sae", dSae);
		}
		cfg.put("dtype", "float32");
		cfg.put("model_name", model[1]);
		cfg.put("hook_name", hook);
		cfg.putNull("hook_head_index");
		cfg.put("activation_fn", "relu");
		cfg.put("finetuning_scaling_factor", false);
		cfg.putNull("sae_lens_training_version");
		cfg.put("prepend_bos", true);
		cfg.put("dataset_path", "monology/pile-uncopyrighted");
		cfg.put("context_size", 1024);
		cfg.put("dataset_trust_remote_code", true);
		cfg.put("apply_b_dec_to_input", false);
		cfg.putNull("normalize_activations");
		return cfg;
	}

	/**
	 * Reads params.npz as SAELens' gemma_2 loader does ({@code w_*} arrays renamed {@code W_*}, an all-ones
	 * {@code scaling_factor} dropped) and checks every array's shape against the config.
	 * @throws SaeFormatException naming the array for a missing, mis-shaped or (when strict) unknown array, or a
	 *     {@code scaling_factor} other than ones
	 */
	static SaeParameters readParameters(Path file, SaeConfig cfg, Strictness strictness) {
		if (!cfg.architecture().id().equals("jumprelu")) {
			throw new SaeFormatException(file + ": params.npz holds a JumpReLU SAE, but cfg.json says "
					+ cfg.architecture().id());
		}
		Map<String, NpzArchive.Array> arrays = new LinkedHashMap<>();
		NpzArchive.read(file).forEach((name, a) -> arrays.put(name.startsWith("w_") ? "W_" + name.substring(2) : name, a));
		NpzArchive.Array scaling = arrays.remove("scaling_factor");
		if (scaling != null) {
			for (float v : scaling.values()) {
				if (v != 1f) {
					throw new SaeFormatException(file + ": scaling_factor is not all ones (SAELens' "
							+ "finetuning_scaling_factor), which Lumen does not support");
				}
			}
		}
		int dIn = cfg.dIn();
		int dSae = cfg.dSae();
		Map<String, long[]> expected = new LinkedHashMap<>();
		expected.put("W_enc", new long[] { dIn, dSae });
		expected.put("b_enc", new long[] { dSae });
		expected.put("W_dec", new long[] { dSae, dIn });
		expected.put("b_dec", new long[] { dIn });
		expected.put("threshold", new long[] { dSae });
		List<String> unused = new ArrayList<>(arrays.keySet());
		unused.removeAll(expected.keySet());
		if (!unused.isEmpty()) {
			strictness.refuse(file + ": array(s) " + unused + " are not used by a Gemma Scope JumpReLU SAE, which reads "
					+ String.join(", ", expected.keySet()), SaeFormatException::new);
		}
		for (Map.Entry<String, long[]> e : expected.entrySet()) {
			NpzArchive.Array a = arrays.get(e.getKey());
			if (a == null) {
				throw new SaeFormatException(file + ": missing array '" + e.getKey() + "'; a Gemma Scope SAE needs "
						+ String.join(", ", expected.keySet()) + "; the file has " + arrays.keySet());
			}
			if (!Arrays.equals(a.shape(), e.getValue())) {
				throw new SaeFormatException(file + ": array '" + e.getKey() + "' has shape " + Arrays.toString(a.shape())
						+ ", expected " + Arrays.toString(e.getValue()) + " (d_in=" + dIn + ", d_sae=" + dSae + ")");
			}
		}
		SaeParameters p = new SaeParameters(arrays.get("W_enc").values(), arrays.get("b_enc").values(),
				arrays.get("W_dec").values(), arrays.get("b_dec").values(), arrays.get("threshold").values());
		p.validate(cfg);
		return p;
	}
}
