package dev.lumen.engine.model;

import dev.lumen.engine.safetensors.SafetensorsDType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads llama2.c checkpoints: the legacy v0 layout (7-int header) and the v1 "ak42" fp32 export
 * (256-byte header). Tensors are renamed to Hugging Face Llama names and q/k rows get HF's rotary
 * permutation, so the checkpoint then loads through the same path as an HF directory:
 * {@code w.view(nHeads, dOut / nHeads / 2, 2, dIn).transpose(1, 2)} turns llama2.c's interleaved
 * rotary pairs into rotate_half's split halves.
 */
final class LlamaCheckpoint implements TensorSource {

	private static final int MAGIC_V1 = 0x616b3432; // "ak42"

	private final Path path;

	private final ModelConfig config;

	private final Map<String, float[]> tensors = new HashMap<>();

	private final Map<String, long[]> shapes = new HashMap<>();

	private LlamaCheckpoint(Path path, ModelConfig config) {
		this.path = path;
		this.config = config;
	}

	ModelConfig config() {
		return this.config;
	}

	/**
	 * Reads the whole checkpoint.
	 * @throws ModelLoadException naming the file for a bad header or a size that does not match it
	 */
	static LlamaCheckpoint read(Path path) {
		try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
			long size = ch.size();
			if (size < 28) {
				throw new ModelLoadException(path + ": " + size + " bytes is too short for a llama2.c header (28 bytes)");
			}
			ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
			boolean v1 = buf.getInt(0) == MAGIC_V1;
			int headerBytes = v1 ? 256 : 28;
			int h = v1 ? 8 : 0;
			if (v1 && buf.getInt(4) != 1) {
				throw new ModelLoadException(path + ": llama2.c checkpoint version " + buf.getInt(4)
						+ " is not supported; valid: legacy (v0) and 1 (fp32)");
			}
			int dim = buf.getInt(h);
			int hidden = buf.getInt(h + 4);
			int layers = buf.getInt(h + 8);
			int heads = buf.getInt(h + 12);
			int kvHeads = buf.getInt(h + 16);
			int vocabRaw = buf.getInt(h + 20);
			int seqLen = buf.getInt(h + 24);
			boolean shared = v1 ? buf.get(h + 28) != 0 : vocabRaw > 0;
			int vocab = Math.abs(vocabRaw);
			ModelConfig config;
			try {
				config = ModelConfig.llama(dim, layers, heads, kvHeads, hidden, vocab, seqLen).withTiedEmbeddings(shared);
			}
			catch (IllegalArgumentException ex) {
				throw new ModelLoadException(path + ": not a llama2.c checkpoint (header dim=" + dim + ", hidden_dim=" + hidden
						+ ", n_layers=" + layers + ", n_heads=" + heads + ", n_kv_heads=" + kvHeads + ", vocab=" + vocabRaw
						+ ", seq_len=" + seqLen + "): " + ex.getMessage(), ex);
			}
			LlamaCheckpoint ckpt = new LlamaCheckpoint(path, config);
			long expected = headerBytes + 4L * ckpt.floatCount(v1, shared);
			if (size != expected) {
				throw new ModelLoadException(path + ": header (dim=" + dim + ", hidden_dim=" + hidden + ", n_layers=" + layers
						+ ", n_heads=" + heads + ", n_kv_heads=" + kvHeads + ", vocab=" + vocabRaw + ", seq_len=" + seqLen
						+ ") needs " + expected + " bytes but the file has " + size
						+ (size < expected ? " (truncated file?)" : ""));
			}
			FloatBuffer floats = buf.position(headerBytes).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
			if (v1) {
				ckpt.readV1(floats, shared);
			}
			else {
				ckpt.readLegacy(floats, shared);
			}
			return ckpt;
		}
		catch (IOException ex) {
			throw new ModelLoadException(path + ": cannot read: " + ex.getMessage(), ex);
		}
	}

	private long floatCount(boolean v1, boolean shared) {
		ModelConfig c = this.config;
		long d = c.dModel();
		long kv = (long) c.nKvHeads() * c.dHead();
		long perLayer = 2 * d + d * d + 2 * kv * d + d * d + 3 * d * c.dMlp();
		long n = (long) c.vocabSize() * d + c.nLayers() * perLayer + d;
		if (!v1) {
			n += (long) c.maxSeqLen() * c.dHead(); // freq_cis_real + freq_cis_imag, unused
		}
		return shared ? n : n + (long) c.vocabSize() * d;
	}

	private void readLegacy(FloatBuffer f, boolean shared) {
		ModelConfig c = this.config;
		int d = c.dModel();
		int kv = c.nKvHeads() * c.dHead();
		take(f, "model.embed_tokens.weight", c.vocabSize(), d);
		perLayer(f, "input_layernorm.weight", d);
		perLayer(f, "self_attn.q_proj.weight", d, d);
		perLayer(f, "self_attn.k_proj.weight", kv, d);
		perLayer(f, "self_attn.v_proj.weight", kv, d);
		perLayer(f, "self_attn.o_proj.weight", d, d);
		perLayer(f, "post_attention_layernorm.weight", d);
		perLayer(f, "mlp.gate_proj.weight", c.dMlp(), d);
		perLayer(f, "mlp.down_proj.weight", d, c.dMlp());
		perLayer(f, "mlp.up_proj.weight", c.dMlp(), d);
		take(f, "model.norm.weight", d);
		f.position(f.position() + c.maxSeqLen() * c.dHead());
		classifier(f, shared);
		permuteRotary();
	}

	private void readV1(FloatBuffer f, boolean shared) {
		ModelConfig c = this.config;
		int d = c.dModel();
		int kv = c.nKvHeads() * c.dHead();
		perLayer(f, "input_layernorm.weight", d);
		perLayer(f, "post_attention_layernorm.weight", d);
		take(f, "model.norm.weight", d);
		take(f, "model.embed_tokens.weight", c.vocabSize(), d);
		perLayer(f, "self_attn.q_proj.weight", d, d);
		perLayer(f, "self_attn.k_proj.weight", kv, d);
		perLayer(f, "self_attn.v_proj.weight", kv, d);
		perLayer(f, "self_attn.o_proj.weight", d, d);
		perLayer(f, "mlp.gate_proj.weight", c.dMlp(), d);
		perLayer(f, "mlp.down_proj.weight", d, c.dMlp());
		perLayer(f, "mlp.up_proj.weight", c.dMlp(), d);
		classifier(f, shared);
		permuteRotary();
	}

	private void classifier(FloatBuffer f, boolean shared) {
		if (!shared) {
			take(f, "lm_head.weight", this.config.vocabSize(), this.config.dModel());
		}
	}

	private void perLayer(FloatBuffer f, String suffix, long... shape) {
		for (int l = 0; l < this.config.nLayers(); l++) {
			take(f, "model.layers." + l + "." + suffix, shape);
		}
	}

	private void take(FloatBuffer f, String name, long... shape) {
		long n = 1;
		for (long s : shape) {
			n *= s;
		}
		float[] data = new float[(int) n];
		f.get(data);
		this.tensors.put(name, data);
		this.shapes.put(name, shape);
	}

	private void permuteRotary() {
		ModelConfig c = this.config;
		for (int l = 0; l < c.nLayers(); l++) {
			String p = "model.layers." + l + ".self_attn.";
			this.tensors.put(p + "q_proj.weight", permute(this.tensors.get(p + "q_proj.weight"), c.nHeads(), c.dHead(), c.dModel()));
			this.tensors.put(p + "k_proj.weight", permute(this.tensors.get(p + "k_proj.weight"), c.nKvHeads(), c.dHead(), c.dModel()));
		}
	}

	/** Row (h, i, t) of the interleaved layout (row h*dHead + 2i + t) moves to h*dHead + t*dHead/2 + i. */
	static float[] permute(float[] w, int heads, int dHead, int cols) {
		float[] out = new float[w.length];
		int half = dHead / 2;
		for (int h = 0; h < heads; h++) {
			for (int i = 0; i < half; i++) {
				for (int t = 0; t < 2; t++) {
					int from = h * dHead + 2 * i + t;
					int to = h * dHead + t * half + i;
					System.arraycopy(w, from * cols, out, to * cols, cols);
				}
			}
		}
		return out;
	}

	@Override
	public float[] floats(String name, long... expectedShape) {
		float[] data = this.tensors.get(name);
		if (data == null) {
			throw new ModelLoadException(this.path + ": missing tensor '" + name + "'");
		}
		if (!Arrays.equals(this.shapes.get(name), expectedShape)) {
			throw new ModelLoadException(this.path + ": tensor '" + name + "' has shape " + Arrays.toString(this.shapes.get(name))
					+ ", expected " + Arrays.toString(expectedShape));
		}
		return data.clone();
	}

	@Override
	public boolean contains(String name) {
		return this.tensors.containsKey(name);
	}

	@Override
	public SafetensorsDType storedType() {
		return SafetensorsDType.F32;
	}
}
