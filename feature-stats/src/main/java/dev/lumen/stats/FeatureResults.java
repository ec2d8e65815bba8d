package dev.lumen.stats;

/**
 * The results of an extraction for the features {@code [firstFeature, endFeature)}: a whole SAE
 * ({@link FeatureStatistics}) or one block of it ({@link FeatureBlock}). Writers go through the blocks of an SAE in
 * feature order, so they never need every feature's statistics in memory at once. Feature indices are the SAE's.
 */
public interface FeatureResults {

	int firstFeature();

	/** @return one past the last feature */
	int endFeature();

	/** @return counted positions over all windows (the same in every block) */
	long tokens();

	long activeTokens(int f);

	double density(int f);

	float maxActivation(int f);

	double meanActivation(int f);

	Example[] topExamples(int f);

	Example[][] intervalExamples(int f);

	Example[] zeroExamples(int f);

	Histogram histogram(int f);

	/**
	 * @param activeTokensOfAll active-token count of every feature of the SAE (the Jaccard index needs the partner's)
	 * @return the n features with the highest Jaccard index of active-token sets
	 */
	CoOccurring coOccurring(int f, int n, long[] activeTokensOfAll);
}
