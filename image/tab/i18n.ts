import type { AppResources } from '@teamspro/core/tab';

/** Image Pro's tab strings (namespace "app"); the shell brings its own. */
export const resources = {
  en: {
    name: "Image Pro",
    home: {
      title: "Welcome to Image Pro",
      description: "Pin an image or a gallery to your channel: pick it from the team's SharePoint files or upload it, edit it right here, and save it back.",
      featuresHeading: "What you'll be able to do",
      features: [
        "Browse and search the team's document library, or upload from your computer.",
        "Crop, rotate, resize, adjust, and add text, shapes and drawings, with undo and redo.",
        "Save as a new version or a new file, with alt text and tags; location data is removed on save."
      ]
    }
  },
  fr: {
    name: "Image Pro",
    home: {
      title: "Bienvenue dans Image Pro",
      description: "Épinglez une image ou une galerie dans votre canal : choisissez-la dans les fichiers SharePoint de l'équipe ou importez-la, modifiez-la ici même, puis enregistrez-la.",
      featuresHeading: "Ce que vous pourrez faire",
      features: [
        "Parcourez et recherchez dans la bibliothèque de documents de l'équipe, ou importez depuis votre ordinateur.",
        "Rognez, faites pivoter, redimensionnez, ajustez, et ajoutez du texte, des formes et des dessins, avec annuler et rétablir.",
        "Enregistrez comme nouvelle version ou nouveau fichier, avec texte de remplacement et étiquettes ; les données de localisation sont supprimées."
      ]
    }
  },
} satisfies AppResources;
