package dev.lumen.engine.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a sentencepiece {@code tokenizer.model} (a protobuf {@code ModelProto}) without a protobuf library:
 * only {@code pieces} (field 1: piece, score, type) and {@code normalizer_spec.add_dummy_prefix} are used.
 * Pieces get {@code ▁} replaced by a space, as llama2.c's tokenizer export does, so encoding is the same
 * score-ordered BPE as {@code tokenizer.bin} ({@link SentencePieceBpe}).
 */
public final class SentencePieceModelFile {

	private static final int TYPE_CONTROL = 3;

	private static final int TYPE_UNUSED = 5;

	private SentencePieceModelFile() {
	}

	/**
	 * Parses a tokenizer.model file.
	 * @throws TokenizerException naming the file when it is not a sentencepiece model
	 */
	public static SentencePieceBpe read(Path file) {
		try {
			return parse(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN), file);
		}
		catch (IOException ex) {
			throw new TokenizerException(file + ": cannot read: " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			if (ex instanceof TokenizerException) {
				throw ex;
			}
			throw new TokenizerException(file + ": not a sentencepiece model: " + ex, ex);
		}
	}

	private static SentencePieceBpe parse(ByteBuffer b, Path file) {
		List<String> pieces = new ArrayList<>();
		List<Float> scores = new ArrayList<>();
		List<Integer> types = new ArrayList<>();
		boolean dummyPrefix = true;
		int modelType = -1; // trainer_spec.model_type; absent trainer_spec: unknown
		String normalizer = "identity";
		while (b.hasRemaining()) {
			long key = varint(b);
			int field = (int) (key >>> 3);
			int wire = (int) (key & 7);
			if (field == 1 && wire == 2) {
				ByteBuffer piece = sub(b);
				String text = null;
				float score = 0;
				int type = 1;
				while (piece.hasRemaining()) {
					long k = varint(piece);
					int f = (int) (k >>> 3);
					int w = (int) (k & 7);
					if (f == 1 && w == 2) {
						ByteBuffer s = sub(piece);
						byte[] bytes = new byte[s.remaining()];
						s.get(bytes);
						text = new String(bytes, StandardCharsets.UTF_8);
					}
					else if (f == 2 && w == 5) {
						score = piece.getFloat();
					}
					else if (f == 3 && w == 0) {
						type = (int) varint(piece);
					}
					else {
						skip(piece, w);
					}
				}
				if (text == null) {
					throw new TokenizerException(file + ": piece " + pieces.size() + " has no text");
				}
				pieces.add(text.replace('\u2581', ' '));
				scores.add(score);
				types.add(type);
			}
			else if (field == 2 && wire == 2) {
				modelType = (int) varintField(sub(b), 3, MODEL_UNIGRAM);
			}
			else if (field == 3 && wire == 2) {
				ByteBuffer spec = sub(b);
				normalizer = normalizerName(spec.duplicate().order(ByteOrder.LITTLE_ENDIAN));
				dummyPrefix = addDummyPrefix(spec);
			}
			else {
				skip(b, wire);
			}
		}
		if (pieces.isEmpty()) {
			throw new TokenizerException(file + ": holds no pieces (not a sentencepiece model?)");
		}
		if (modelType != MODEL_BPE) {
			// Unigram picks the most likely segmentation by piece scores; merging by score as BPE does gives other ids
			throw new TokenizerException(file + ": a sentencepiece " + (modelType == -1 ? "model without trainer_spec "
					+ "(model type unknown)" : modelTypeName(modelType) + " model") + "; Lumen reads tokenizer.model files "
					+ "of type BPE only (Llama 2 style). Provide the model's tokenizer.json instead (Unigram is supported "
					+ "there, through the tokenizers library)");
		}
		if (!normalizer.equals("identity")) {
			throw new TokenizerException(file + ": normalizer_spec.name is '" + normalizer + "'; Lumen applies no "
					+ "sentencepiece normalisation, so only 'identity' is supported. Provide the model's tokenizer.json instead");
		}
		float[] s = new float[pieces.size()];
		boolean[] control = new boolean[pieces.size()];
		int bos = -1;
		int eos = -1;
		for (int i = 0; i < s.length; i++) {
			s[i] = scores.get(i);
			int type = types.get(i);
			control[i] = type == TYPE_CONTROL || type == TYPE_UNUSED;
			if (type == TYPE_CONTROL && pieces.get(i).equals("<s>")) {
				bos = i;
			}
			if (type == TYPE_CONTROL && pieces.get(i).equals("</s>")) {
				eos = i;
			}
		}
		return new SentencePieceBpe(pieces.toArray(String[]::new), s, bos, eos, control, dummyPrefix);
	}

	private static final int MODEL_UNIGRAM = 1;

	private static final int MODEL_BPE = 2;

	private static String modelTypeName(int type) {
		return switch (type) {
			case MODEL_UNIGRAM -> "UNIGRAM";
			case MODEL_BPE -> "BPE";
			case 3 -> "WORD";
			case 4 -> "CHAR";
			default -> "type " + type;
		};
	}

	/** @return the varint field {@code field} of a message, or {@code fallback} (the protobuf default) when absent */
	private static long varintField(ByteBuffer message, int field, long fallback) {
		long value = fallback;
		while (message.hasRemaining()) {
			long k = varint(message);
			int f = (int) (k >>> 3);
			int w = (int) (k & 7);
			if (f == field && w == 0) {
				value = varint(message);
			}
			else {
				skip(message, w);
			}
		}
		return value;
	}

	/** NormalizerSpec field 1 is the rule name ("identity", "nmt_nfkc", ...); empty means identity. */
	private static String normalizerName(ByteBuffer spec) {
		String name = "identity";
		while (spec.hasRemaining()) {
			long k = varint(spec);
			int f = (int) (k >>> 3);
			int w = (int) (k & 7);
			if (f == 1 && w == 2) {
				ByteBuffer s = sub(spec);
				byte[] bytes = new byte[s.remaining()];
				s.get(bytes);
				String text = new String(bytes, StandardCharsets.UTF_8);
				name = text.isEmpty() ? "identity" : text;
			}
			else {
				skip(spec, w);
			}
		}
		return name;
	}

	/** NormalizerSpec field 3 is add_dummy_prefix (default true). */
	private static boolean addDummyPrefix(ByteBuffer spec) {
		boolean value = true;
		while (spec.hasRemaining()) {
			long k = varint(spec);
			int f = (int) (k >>> 3);
			int w = (int) (k & 7);
			if (f == 3 && w == 0) {
				value = varint(spec) != 0;
			}
			else {
				skip(spec, w);
			}
		}
		return value;
	}

	private static ByteBuffer sub(ByteBuffer b) {
		int len = (int) varint(b);
		if (len < 0 || len > b.remaining()) {
			throw new IllegalStateException("length " + len + " overruns the message (" + b.remaining() + " bytes left)");
		}
		ByteBuffer s = b.slice().order(ByteOrder.LITTLE_ENDIAN);
		s.limit(len);
		b.position(b.position() + len);
		return s;
	}

	private static void skip(ByteBuffer b, int wire) {
		switch (wire) {
			case 0 -> varint(b);
			case 1 -> b.position(b.position() + 8);
			case 2 -> sub(b);
			case 5 -> b.position(b.position() + 4);
			default -> throw new IllegalStateException("unsupported protobuf wire type " + wire);
		}
	}

	private static long varint(ByteBuffer b) {
		long result = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			byte x = b.get();
			result |= (long) (x & 0x7f) << shift;
			if ((x & 0x80) == 0) {
				return result;
			}
		}
		throw new IllegalStateException("malformed varint");
	}
}
