"""Writes the Neuronpedia dataset-export fixture from the real SAEDashboard batch next door.

The layout and the columns are those of Neuronpedia's utils/neuronpedia-utils/neuronpedia_utils/export-data.py
(hijohnnylin/neuronpedia @ 1a80fe9b): exports/{modelId}/{sourceId}/{features,activations,explanations}/batch-N.jsonl.gz,
one row of the Neuron / Activation / Explanation table per line. Neuron and Activation values are the batch's own
(how Neuronpedia's SAEDashboard upload stores them: activations keep bin_min/bin_max/bin_contains, maxValue is the
max of values, maxValueTokenIndex the qualifying token); the explanations are written for this test and say so.
Run from this directory: python3 make_fixture.py
"""
import gzip
import json

batch = json.load(open("../saedashboard/batch-1.json"))
model, source = batch["model_id"], f'{batch["layer"]}-{batch["sae_set"]}'
out = f"{model}/{source}"
creator = "clsxqq2xd0000vvp2k5itlhqj"
neurons, activations, explanations = [], [], []
for f in batch["features"]:
    neurons.append({
        "modelId": model, "layer": source, "index": str(f["feature_index"]),
        "maxActApprox": max(a["bin_max"] for a in f["activations"] if a["bin_min"] == -1),
        "creatorId": creator, "frac_nonzero": f["frac_nonzero"],
        "freq_hist_data_bar_heights": f["freq_hist_data_bar_heights"],
        "freq_hist_data_bar_values": f["freq_hist_data_bar_values"],
        "logits_hist_data_bar_heights": f["logits_hist_data_bar_heights"],
        "logits_hist_data_bar_values": f["logits_hist_data_bar_values"],
        "neuron_alignment_indices": f["neuron_alignment_indices"], "neuron_alignment_l1": f["neuron_alignment_l1"],
        "neuron_alignment_values": f["neuron_alignment_values"],
        "correlated_neurons_indices": f["correlated_neurons_indices"],
        "correlated_neurons_l1": f["correlated_neurons_l1"], "correlated_neurons_pearson": f["correlated_neurons_pearson"],
        "decoder_weights_dist": f["decoder_weights_dist"], "neg_str": f["neg_str"], "neg_values": f["neg_values"],
        "pos_str": f["pos_str"], "pos_values": f["pos_values"], "sourceSetName": batch["sae_set"],
        "topkCosSimIndices": [], "topkCosSimValues": [], "vector": [], "vectorLabel": None,
        "hookName": "blocks.0.hook_resid_pre", "vectorDefaultSteerStrength": 10, "hasVector": False,
    })
    for n, a in enumerate(f["activations"]):
        activations.append({
            "id": f'act-{f["feature_index"]}-{n}', "modelId": model, "layer": source, "index": str(f["feature_index"]),
            "creatorId": creator, "dataSource": f["dataset"], "tokens": a["tokens"], "maxValue": max(a["values"]),
            "minValue": min(a["values"]), "values": a["values"], "maxValueTokenIndex": a["qualifying_token_index"],
            "dfaValues": a["dfa_values"], "dfaMaxValue": a["dfa_maxValue"], "dfaTargetIndex": a["dfa_targetIndex"],
            "binContains": a["bin_contains"], "binMin": a["bin_min"], "binMax": a["bin_max"],
        })
labels = {2: "medical imaging words (MRI, ultrasound) [test label]", 3: "contingent / conditional [test label]"}
for index, text in labels.items():
    explanations.append({
        "id": f"expl-{index}", "modelId": model, "layer": source, "index": str(index), "authorId": creator,
        "description": text, "embedding": None, "typeName": "oai_token-act-pair", "explanationModelName": "gpt-4o-mini",
        "umap_x": None, "umap_y": None, "umap_cluster": None, "umap_log_feature_sparsity": None,
    })
for folder, rows in (("features", neurons), ("activations", activations), ("explanations", explanations)):
    import os
    os.makedirs(f"{out}/{folder}", exist_ok=True)
    with open(f"{out}/{folder}/batch-0.jsonl.gz", "wb") as fh:
        fh.write(gzip.compress(("\n".join(json.dumps(r) for r in rows) + "\n").encode(), compresslevel=5, mtime=0))
