package dev.lumen.account;

import dev.lumen.system.AnonymousForms;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The login form; Spring Security processes {@code POST /login} and {@code POST /logout}. */
@Controller
class LoginController {

	private static final String VIEW_LOGIN = "account/login";

	private final LoginThrottle throttle;

	LoginController(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	@GetMapping("/login")
	String showLogin(Model model) {
		model.addAttribute(AnonymousForms.MODEL_ATTRIBUTE, true);
		model.addAttribute("throttleMinutes", Math.max(1, (this.throttle.backoff().toSeconds() + 59) / 60));
		return VIEW_LOGIN;
	}
}
