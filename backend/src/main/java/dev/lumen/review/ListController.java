package dev.lumen.review;

import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Feature lists: {@code /lists}, one list's page (its share link), its changes, and its CSV/JSON export. */
@Controller
class ListController {

	private static final String VIEW_LISTS = "review/lists";

	private static final String VIEW_LIST = "review/list";

	private final ListService lists;

	private final Permalinks links;

	ListController(ListService lists, Permalinks links) {
		this.lists = lists;
		this.links = links;
	}

	@GetMapping("/lists")
	String listLists(Model page) {
		page.addAttribute("lists", this.lists.all());
		return VIEW_LISTS;
	}

	@PostMapping("/lists")
	String processCreateList(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String description,
			Principal principal, RedirectAttributes redirect) {
		try {
			return "redirect:/lists/" + this.lists.create(principal.getName(), name, description).getId();
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/lists";
		}
	}

	@GetMapping("/lists/{id}")
	String showList(@PathVariable long id, Principal principal, Model page) {
		FeatureList list = this.lists.find(id);
		page.addAttribute("list", list);
		page.addAttribute("owner", this.lists.ownerName(list));
		page.addAttribute("items", this.lists.items(id));
		page.addAttribute("canEdit", this.lists.canEdit(principal == null ? null : principal.getName(), list));
		page.addAttribute("shareUrl", this.links.of("/lists/" + id));
		return VIEW_LIST;
	}

	@PostMapping("/lists/{id}")
	String processRenameList(@PathVariable long id, @RequestParam long version, @RequestParam(defaultValue = "") String name,
			@RequestParam(defaultValue = "") String description, Principal principal, Model page,
			HttpServletResponse response) {
		try {
			this.lists.rename(principal.getName(), id, version, name, description);
			return "redirect:/lists/" + id;
		}
		catch (FlagConflictException ex) {
			response.setStatus(HttpServletResponse.SC_CONFLICT);
			page.addAttribute("error", ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			page.addAttribute("error", ex.getMessage());
		}
		return showList(id, principal, page);
	}

	@PostMapping("/lists/{id}/items")
	String processAddItem(@PathVariable long id, @RequestParam(defaultValue = "") String feature,
			@RequestParam(defaultValue = "") String note, Principal principal, RedirectAttributes redirect) {
		try {
			this.lists.addItem(principal.getName(), id, feature, note);
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/lists/" + id;
	}

	@PostMapping("/lists/{id}/items/remove")
	String processRemoveItem(@PathVariable long id, @RequestParam long saeId, @RequestParam int featureIndex,
			Principal principal) {
		this.lists.removeItem(principal.getName(), id, saeId, featureIndex);
		return "redirect:/lists/" + id;
	}

	@PostMapping("/lists/{id}/delete")
	String processDeleteList(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
		this.lists.delete(principal.getName(), id);
		redirect.addFlashAttribute("message", "List deleted");
		return "redirect:/lists";
	}

	@GetMapping("/lists/{id}/export.csv")
	ResponseEntity<String> exportListCsv(@PathVariable long id) {
		StringBuilder csv = new StringBuilder(Csv.line(List.of("feature_url", "model", "sae", "feature_index", "label", "note",
				"added_by", "added_at")));
		for (Map<String, Object> row : rows(id)) {
			csv.append(Csv.line(List.copyOf(row.values().stream().map(v -> v == null ? "" : v).toList())));
		}
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"lumen-list-" + id + ".csv\"")
			.body(csv.toString());
	}

	@GetMapping(value = "/lists/{id}/export.json", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> exportListJson(@PathVariable long id) {
		FeatureList list = this.lists.find(id);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		body.put("url", this.links.of("/lists/" + id));
		body.put("name", list.getName());
		body.put("description", list.getDescription());
		body.put("owner", this.lists.ownerName(list));
		body.put("features", rows(id));
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"lumen-list-" + id + ".json\"")
			.body(body);
	}

	private List<Map<String, Object>> rows(long id) {
		this.lists.find(id);
		return this.lists.items(id).stream().map(item -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("feature_url", this.links.of(item.feature().path()));
			row.put("model", item.feature().modelName());
			row.put("sae", item.feature().saeName());
			row.put("feature_index", item.feature().featureIndex());
			row.put("label", item.feature().label());
			row.put("note", item.note());
			row.put("added_by", item.addedBy());
			row.put("added_at", item.addedAt());
			return row;
		}).toList();
	}
}
