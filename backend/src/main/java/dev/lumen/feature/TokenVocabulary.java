package dev.lumen.feature;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The display strings of each model's tokens (table {@code model_token}), held in memory: every example line
 * needs them, and a vocabulary is written once when its model is registered.
 */
@Component
public class TokenVocabulary {

	private final JdbcTemplate jdbc;

	/** model id → token text by token id; null entries for ids without a row */
	private final Map<Long, String[]> byModel = new ConcurrentHashMap<>();

	/** model id → {@link TokenDisplay#visible} of each token, computed once */
	private final Map<Long, String[]> visibleByModel = new ConcurrentHashMap<>();

	public TokenVocabulary(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @return the raw text of a token, or a placeholder naming the id when the vocabulary lacks it
	 */
	public String text(long modelId, int tokenId) {
		String[] texts = this.byModel.get(modelId);
		if (texts == null || tokenId < 0 || tokenId >= texts.length || texts[tokenId] == null) {
			texts = load(modelId);
		}
		if (tokenId >= 0 && tokenId < texts.length && texts[tokenId] != null) {
			return texts[tokenId];
		}
		return "<unk:" + tokenId + ">";
	}

	/** @return the token as shown in example lines ({@link TokenDisplay#visible}) */
	public String visible(long modelId, int tokenId) {
		String[] visible = this.visibleByModel.get(modelId);
		if (visible != null && tokenId >= 0 && tokenId < visible.length && visible[tokenId] != null) {
			return visible[tokenId];
		}
		String text = text(modelId, tokenId);
		String[] raw = this.byModel.get(modelId);
		if (raw != null && (visible == null || visible.length != raw.length)) {
			String[] all = new String[raw.length];
			for (int i = 0; i < raw.length; i++) {
				all[i] = raw[i] == null ? null : TokenDisplay.visible(raw[i]);
			}
			this.visibleByModel.put(modelId, all);
		}
		return TokenDisplay.visible(text);
	}

	/** Forgets the cached vocabulary of a model, e.g. after it was (re)loaded. */
	public void evict(long modelId) {
		this.byModel.remove(modelId);
		this.visibleByModel.remove(modelId);
	}

	private String[] load(long modelId) {
		Integer max = this.jdbc.queryForObject("SELECT max(token_id) FROM model_token WHERE model_id = ?", Integer.class,
				modelId);
		String[] texts = new String[max == null ? 0 : max + 1];
		this.jdbc.query("SELECT token_id, text FROM model_token WHERE model_id = ?", rs -> {
			int id = rs.getInt(1);
			if (id >= 0) {
				texts[id] = rs.getString(2);
			}
		}, modelId);
		// an empty vocabulary is not cached: the pipeline may still be writing it
		if (texts.length > 0) {
			this.byModel.put(modelId, texts);
			this.visibleByModel.remove(modelId);
		}
		return texts;
	}
}
