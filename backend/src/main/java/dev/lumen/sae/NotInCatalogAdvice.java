package dev.lumen.sae;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/** Renders unknown models, SAEs and features as a 404 page with links to what exists. */
@ControllerAdvice(basePackages = { "dev.lumen.feature", "dev.lumen.sae", "dev.lumen.search" })
class NotInCatalogAdvice {

	static final String VIEW_NOT_FOUND = "saes/notFound";

	@ExceptionHandler(NotInCatalogException.class)
	ModelAndView notInCatalog(NotInCatalogException ex) {
		ModelAndView mav = new ModelAndView(VIEW_NOT_FOUND, HttpStatus.NOT_FOUND);
		mav.addObject("heading", ex.getHeading());
		mav.addObject("detail", ex.getMessage());
		mav.addObject("suggestions", ex.getSuggestions());
		return mav;
	}
}
